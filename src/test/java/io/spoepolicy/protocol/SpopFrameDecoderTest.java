package io.spoepolicy.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpopFrameDecoderTest {

    private static final byte[] HELLO = Hex.bytes(ReferenceBytesTest.HEALTHCHECK_HELLO);
    private static final byte[] NOTIFY = Hex.bytes(ReferenceBytesTest.NOTIFY);

    @Test
    void decodesFramesSplitAtEveryByteBoundary() {
        byte[] stream = concat(HELLO, NOTIFY, NOTIFY);
        for (int split = 0; split <= stream.length; split++) {
            List<InboundFrame> frames = feed(decoder(), List.of(
                    slice(stream, 0, split), slice(stream, split, stream.length)));
            assertThat(frames).as("split at %d", split).hasSize(3);
            assertThat(frames.get(0)).isInstanceOf(InboundFrame.HaproxyHello.class);
            assertThat(frames.get(2)).isEqualTo(frames.get(1));
        }
    }

    @Test
    void decodesByteByByteAndManyFramesPerRead() {
        byte[] stream = concat(HELLO, NOTIFY, NOTIFY, NOTIFY, NOTIFY);
        List<byte[]> single = new ArrayList<>();
        for (byte b : stream) {
            single.add(new byte[] {b});
        }
        assertThat(feed(decoder(), single)).hasSize(5);
        assertThat(feed(decoder(), List.of(stream))).hasSize(5);
    }

    @Test
    void rejectsFramesShorterThanSevenBytes() {
        assertThatProtocolError(Hex.bytes("00 00 00 06 03 00 00 00 01 01"), SpopStatus.INVALID_FRAME);
        assertThatProtocolError(Hex.bytes("00 00 00 00"), SpopStatus.INVALID_FRAME);
    }

    @Test
    void rejectsOversizedFramesBeforeBufferingThem() {
        SpopFrameDecoder decoder = new SpopFrameDecoder(1024, 64, 1 << 20);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        // Only the length prefix arrives: the error must not wait for 1 MB of payload.
        ByteBuf header = Unpooled.wrappedBuffer(Hex.bytes("00 10 00 00"));
        assertThatThrownBy(() -> channel.writeInbound(header))
                .isInstanceOf(DecoderException.class)
                .cause().isInstanceOfSatisfying(SpopProtocolException.class,
                        ex -> assertThat(ex.status()).isEqualTo(SpopStatus.FRAME_TOO_BIG));
        assertThat(header.refCnt()).isZero();
        // Everything after an error is discarded.
        ByteBuf later = Unpooled.wrappedBuffer(NOTIFY);
        channel.writeInbound(later);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(later.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void reassemblesFragmentedNotifySplitInsideAString() {
        var message = MessageBuilder.checkRequest().ip("192.0.2.1").path("/long")
                .header("x-big", "v".repeat(2000)).build();
        List<byte[]> pieces = HaproxyFrames.fragmentedNotify(7, 3, List.of(message), 999);
        assertThat(pieces).hasSizeGreaterThan(2);
        SpopFrameDecoder decoder = decoder();
        decoder.fragmentationAccepted(true);
        List<InboundFrame> frames = feed(decoder, pieces);
        assertThat(frames).hasSize(1);
        InboundFrame.Notify notify = (InboundFrame.Notify) frames.get(0);
        assertThat(notify.streamId()).isEqualTo(7);
        assertThat(notify.frameId()).isEqualTo(3);
        assertThat(notify.messages()).containsExactly(message);
        assertThat(decoder.reassembling()).isFalse();
    }

    @Test
    void abortDiscardsThePartialNotify() {
        var message = MessageBuilder.checkRequest().header("x-big", "v".repeat(2000)).build();
        List<byte[]> pieces = HaproxyFrames.fragmentedNotify(7, 3, List.of(message), 999);
        SpopFrameDecoder decoder = decoder();
        decoder.fragmentationAccepted(true);
        List<InboundFrame> frames = feed(decoder, List.of(pieces.get(0), pieces.get(1),
                HaproxyFrames.abortFragment(7, 3), NOTIFY));
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).isEqualTo(new InboundFrame.FragmentAborted(7, 3));
        assertThat(frames.get(1)).isInstanceOf(InboundFrame.Notify.class);
    }

    @Test
    void enforcesTheReassemblyCapAndSkipsTheRestOfTheFrame() {
        var message = MessageBuilder.checkRequest().header("x-big", "v".repeat(5000)).build();
        List<byte[]> pieces = new ArrayList<>(HaproxyFrames.fragmentedNotify(9, 1, List.of(message), 900));
        pieces.add(NOTIFY);
        SpopFrameDecoder decoder = new SpopFrameDecoder(16380, 64, 2000);
        decoder.fragmentationAccepted(true);
        List<InboundFrame> frames = feed(decoder, pieces);
        assertThat(frames).containsExactly(new InboundFrame.NotifyTooLarge(9, 1), ReferenceBytesTest.decodeOne(NOTIFY));
    }

    @Test
    void refusesFragmentsWhenFragmentationWasNotNegotiated() {
        var message = MessageBuilder.checkRequest().header("x-big", "v".repeat(2000)).build();
        byte[] first = HaproxyFrames.fragmentedNotify(1, 1, List.of(message), 999).get(0);
        assertThatProtocolError(first, SpopStatus.FRAGMENTATION_NOT_SUPPORTED);
    }

    @Test
    void refusesInterlacedFragments() {
        var message = MessageBuilder.checkRequest().header("x-big", "v".repeat(2000)).build();
        List<byte[]> pieces = HaproxyFrames.fragmentedNotify(1, 1, List.of(message), 999);
        SpopFrameDecoder decoder = decoder();
        decoder.fragmentationAccepted(true);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(Unpooled.wrappedBuffer(pieces.get(0)));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(NOTIFY)))
                .cause().isInstanceOfSatisfying(SpopProtocolException.class,
                        ex -> assertThat(ex.status()).isEqualTo(SpopStatus.INVALID_INTERLACED_FRAMES));
        channel.finishAndReleaseAll();
    }

    @Test
    void passesUnknownFrameTypesOn() {
        byte[] unknown = HaproxyFrames.frame(42, FrameFlags.FIN, 0, 0, new byte[] {1, 2, 3});
        assertThat(feed(decoder(), List.of(unknown, NOTIFY)))
                .first().isEqualTo(new InboundFrame.Unknown(42, 0, 0));
    }

    @Test
    void acceptsNotifyWithZeroOrSeveralMessages() {
        var one = MessageBuilder.message("a").build();
        var two = MessageBuilder.message("b").argument("x", TypedValue.of(1)).build();
        List<InboundFrame> frames = feed(decoder(), List.of(HaproxyFrames.notify(0, 1, List.of()),
                HaproxyFrames.notify(0, 2, List.of(one, two))));
        assertThat(((InboundFrame.Notify) frames.get(0)).messages()).isEmpty();
        assertThat(((InboundFrame.Notify) frames.get(1)).messages()).containsExactly(one, two);
    }

    /**
     * Seeded random and mutated input: the decoder either yields frames or fails with a protocol
     * error; nothing else escapes and every input buffer is released.
     */
    @Test
    void onlyEverFailsWithProtocolErrorsAndReleasesEveryBuffer() {
        long seed = 0xC0FFEEL;
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] seeds = {HELLO, NOTIFY, Hex.bytes(ReferenceBytesTest.ACK_BLOCK),
                HaproxyFrames.disconnect(0, "normal")};
        int protocolErrors = 0;
        int decoded = 0;
        for (int round = 0; round < 5_000; round++) {
            byte[] input;
            if (random.nextInt(4) == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            }
            else {
                input = mutate(seeds[random.nextInt(seeds.length)], random);
            }
            SpopFrameDecoder decoder = new SpopFrameDecoder(4096, 64, 8192);
            decoder.fragmentationAccepted(random.nextBoolean());
            EmbeddedChannel channel = new EmbeddedChannel(decoder);
            List<ByteBuf> buffers = new ArrayList<>();
            try {
                int offset = 0;
                while (offset < input.length) {
                    int length = 1 + random.nextInt(input.length - offset);
                    ByteBuf piece = Unpooled.wrappedBuffer(slice(input, offset, offset + length));
                    buffers.add(piece);
                    offset += length;
                    channel.writeInbound(piece);
                }
            }
            catch (DecoderException ex) {
                assertThat(ex.getCause()).as("seed %d round %d", seed, round).isInstanceOf(SpopProtocolException.class);
                protocolErrors++;
            }
            Object frame;
            while ((frame = channel.readInbound()) != null) {
                assertThat(frame).isInstanceOf(InboundFrame.class);
                decoded++;
            }
            channel.finishAndReleaseAll();
            for (ByteBuf buffer : buffers) {
                assertThat(buffer.refCnt()).as("seed %d round %d", seed, round).isZero();
            }
        }
        assertThat(protocolErrors).isPositive();
        assertThat(decoded).isPositive();
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] copy = original.clone();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            int position = random.nextInt(copy.length);
            switch (random.nextInt(3)) {
                case 0 -> copy[position] = (byte) random.nextInt(256);
                case 1 -> copy[position] ^= (byte) (1 << random.nextInt(8));
                default -> copy = slice(copy, 0, position);
            }
            if (copy.length == 0) {
                return copy;
            }
        }
        return copy;
    }

    private static SpopFrameDecoder decoder() {
        return new SpopFrameDecoder(16380, 64, 1 << 20);
    }

    private static List<InboundFrame> feed(SpopFrameDecoder decoder, List<byte[]> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<ByteBuf> buffers = new ArrayList<>();
        for (byte[] chunk : chunks) {
            if (chunk.length == 0) {
                continue;
            }
            ByteBuf buffer = Unpooled.wrappedBuffer(chunk);
            buffers.add(buffer);
            channel.writeInbound(buffer);
        }
        List<InboundFrame> frames = new ArrayList<>();
        Object frame;
        while ((frame = channel.readInbound()) != null) {
            frames.add((InboundFrame) frame);
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
        for (ByteBuf buffer : buffers) {
            assertThat(buffer.refCnt()).isZero();
        }
        return frames;
    }

    private static void assertThatProtocolError(byte[] input, SpopStatus status) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder());
        ByteBuf buffer = Unpooled.wrappedBuffer(input);
        assertThatThrownBy(() -> channel.writeInbound(buffer))
                .isInstanceOf(DecoderException.class)
                .cause().isInstanceOfSatisfying(SpopProtocolException.class,
                        ex -> assertThat(ex.status()).isEqualTo(status));
        assertThat(buffer.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }
}
