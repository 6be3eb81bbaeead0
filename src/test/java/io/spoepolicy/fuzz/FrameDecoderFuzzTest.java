package io.spoepolicy.fuzz;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.protocol.SpopArgument;
import io.spoepolicy.protocol.SpopFrameDecoder;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.SpopProtocolException;
import io.spoepolicy.protocol.TypedValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link SpopFrameDecoder} with whole byte streams as HAProxy would send them.
 *
 * <p>Input layout: one option byte, then the stream. The option byte picks the limits
 * (fragmentation on or off, small or default frame and reassembly sizes) and how the stream is
 * cut into reads, so the corpus also covers frames split across reads. Properties checked for
 * every input: the only failure is a {@link SpopProtocolException}, nothing is emitted after it,
 * every input buffer is released, every payload lease is given back (decoded NOTIFYs are
 * released as a session would), and no decoded value holds more bytes than the limits allow.
 */
@ExtendWith(QuietLogs.class)
class FrameDecoderFuzzTest {

    private static final int[] FRAME_SIZES = {256, 1024, 16380, 65536};
    private static final int[] REASSEMBLY_SIZES = {256, 4096, 20000, 1 << 20};

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Options options = Options.of(input[0]);
        SpopFrameDecoder decoder = new SpopFrameDecoder(options.maxFrame, options.maxMessages, options.maxReassembled);
        decoder.fragmentationAccepted(options.fragmentation);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<ByteBuf> written = new ArrayList<>();
        boolean failed = false;
        try {
            int step = options.chunk == 0 ? input.length : options.chunk;
            for (int offset = 1; offset < input.length; offset += step) {
                int end = Math.min(input.length, offset + step);
                ByteBuf chunk = Unpooled.buffer(end - offset);
                chunk.writeBytes(input, offset, end - offset);
                written.add(chunk);
                boolean failedBefore = failed;
                try {
                    channel.writeInbound(chunk);
                }
                catch (DecoderException ex) {
                    assertThat(ex.getCause()).as("only protocol errors escape").isInstanceOf(SpopProtocolException.class);
                    assertThat(failed).as("one error per connection").isFalse();
                    failed = true;
                }
                // Frames completed before the error in the same read are delivered; none after it.
                for (Object frame; (frame = channel.readInbound()) != null; ) {
                    assertThat(failedBefore).as("nothing decoded after an error").isFalse();
                    checkFrame((InboundFrame) frame, options);
                    if (frame instanceof InboundFrame.Notify notify) {
                        notify.release();
                    }
                }
            }
        }
        finally {
            channel.finishAndReleaseAll();
        }
        for (ByteBuf buffer : written) {
            assertThat(buffer.refCnt()).as("input buffers are released").isZero();
        }
        assertThat(decoder.leasedPayloads()).as("every payload lease given back exactly once").isZero();
    }

    private static void checkFrame(InboundFrame frame, Options options) {
        int bound = Math.max(options.maxFrame, options.maxReassembled);
        if (frame instanceof InboundFrame.Notify notify) {
            assertThat(notify.messages().size()).isLessThanOrEqualTo(options.maxMessages);
            for (SpopMessage message : notify.messages()) {
                assertThat(message.arguments().size()).isLessThanOrEqualTo(255);
                for (SpopArgument argument : message.arguments()) {
                    assertThat(retainedBytes(argument.value())).isLessThanOrEqualTo(bound);
                }
            }
        }
        else if (frame instanceof InboundFrame.HaproxyHello hello) {
            // What the session reads from a HELLO must not throw either.
            hello.supportedVersions();
            hello.capabilities();
            hello.maxFrameSize();
            hello.engineId();
            hello.healthcheck();
            hello.items().values().forEach(value -> assertThat(retainedBytes(value)).isLessThanOrEqualTo(bound));
        }
    }

    private static int retainedBytes(TypedValue value) {
        if (value instanceof TypedValue.StringValue string) {
            return string.length();
        }
        if (value instanceof TypedValue.BinaryValue binary) {
            return binary.length();
        }
        return 0;
    }

    /** Limits and read size chosen by the first input byte. */
    private record Options(boolean fragmentation, int maxFrame, int maxReassembled, int maxMessages, int chunk) {

        static Options of(byte selector) {
            int bits = selector & 0xFF;
            boolean fragmentation = (bits & 0x01) == 0;
            int maxFrame = FRAME_SIZES[(bits >>> 1) & 0x03];
            int maxReassembled = REASSEMBLY_SIZES[(bits >>> 3) & 0x03];
            int maxMessages = (bits & 0x20) == 0 ? 64 : 2;
            // 0: one read for everything; otherwise reads of 1, 3, 7 bytes.
            int chunk = switch ((bits >>> 6) & 0x03) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 3;
                default -> 7;
            };
            return new Options(fragmentation, maxFrame, maxReassembled, maxMessages, chunk);
        }
    }
}
