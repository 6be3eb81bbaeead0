package io.spoepolicy.protocol;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.IllegalReferenceCountException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lease of a decoded NOTIFY's payload: views are readable until the NOTIFY is released and
 * every reference is given back, then every read fails loudly, including after the buffer was
 * reused for a later NOTIFY; a second release fails without touching the later NOTIFY; every
 * decoder path (complete frame, reassembly, abort, cap, protocol error, removal) gives its buffer
 * back exactly once.
 */
class PayloadLifetimeTest {

    private final SpopFrameDecoder decoder = new SpopFrameDecoder(16380, 8, 4096);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        assertThat(decoder.leasedPayloads()).as("every lease given back").isZero();
    }

    private static SpopMessage request(String path) {
        return MessageBuilder.checkRequest().ip("192.0.2.7").method("GET").path(path).header("host", "example.com")
                .body("payload").build();
    }

    private InboundFrame.Notify decode(byte[] frame) {
        channel.writeInbound(Unpooled.wrappedBuffer(frame));
        return channel.readInbound();
    }

    @Test
    void valuesAreReadableUntilReleaseThenEveryReadFails() {
        InboundFrame.Notify notify = decode(HaproxyFrames.notify(1, 1, request("/a")));
        SpopMessage message = notify.messages().get(0);
        TypedValue.StringValue path = (TypedValue.StringValue) message.argument("path");
        TypedValue.BinaryValue body = (TypedValue.BinaryValue) message.argument("body");
        assertThat(path.asString()).isEqualTo("/a");
        assertThat(new String(body.bytes())).isEqualTo("payload");
        assertThat(decoder.leasedPayloads()).isEqualTo(1);

        notify.release();

        assertThat(decoder.leasedPayloads()).isZero();
        assertThat(path.readable()).isFalse();
        assertThat(path.length()).as("the length is no payload byte").isEqualTo(2);
        assertThatThrownBy(path::asString).isInstanceOf(IllegalReferenceCountException.class)
                .hasMessageContaining("copy");
        assertThatThrownBy(path::bytes).isInstanceOf(IllegalReferenceCountException.class);
        assertThatThrownBy(() -> body.read((array, offset, length) -> length))
                .isInstanceOf(IllegalReferenceCountException.class);
        assertThatThrownBy(() -> message.argument("path")).isInstanceOf(IllegalReferenceCountException.class);
        assertThatThrownBy(message::arguments).isInstanceOf(IllegalReferenceCountException.class);
        assertThat(message.toString()).contains("released");
        assertThat(path.toString()).contains("released");
        // Sending it in an ACK fails too, rather than writing recycled bytes.
        OutboundFrame.Ack ack = new OutboundFrame.Ack(1, 1, List.of(Action.setVar(VarScope.TRANSACTION, "p", path)));
        assertThatThrownBy(() -> new SpopFrameEncoder().encode(ack, ByteBufAllocator.DEFAULT))
                .isInstanceOf(IllegalReferenceCountException.class);
    }

    @Test
    void aStaleViewFailsEvenWhenItsBufferNowHoldsAnotherNotify() {
        InboundFrame.Notify first = decode(HaproxyFrames.notify(1, 1, request("/first")));
        TypedValue.StringValue stale = (TypedValue.StringValue) first.messages().get(0).argument("path");
        TypedValue.StringValue kept = ((TypedValue.StringValue) first.messages().get(0).argument("path")).copy();
        first.release();

        InboundFrame.Notify second = decode(HaproxyFrames.notify(2, 1, request("/other")));
        TypedValue.StringValue fresh = (TypedValue.StringValue) second.messages().get(0).argument("path");
        assertThat(fresh.array).as("the buffer was recycled").isSameAs(stale.array);
        assertThatThrownBy(stale::asString).isInstanceOf(IllegalReferenceCountException.class);
        assertThatThrownBy(() -> first.messages().get(0).argument("path"))
                .isInstanceOf(IllegalReferenceCountException.class);
        assertThat(kept.asString()).as("a copy outlives its NOTIFY").isEqualTo("/first");
        assertThat(fresh.asString()).isEqualTo("/other");
        second.release();
    }

    @Test
    void aSecondReleaseFailsAndLeavesTheNextNotifyAlone() {
        InboundFrame.Notify first = decode(HaproxyFrames.notify(1, 1, request("/first")));
        first.release();
        InboundFrame.Notify second = decode(HaproxyFrames.notify(2, 1, request("/second")));

        assertThatThrownBy(first::release).isInstanceOf(IllegalReferenceCountException.class);

        assertThat(decoder.leasedPayloads()).isEqualTo(1);
        assertThat(((TypedValue.StringValue) second.messages().get(0).argument("path")).asString()).isEqualTo("/second");
        second.release();
        assertThatThrownBy(second::release).isInstanceOf(IllegalReferenceCountException.class);
    }

    @Test
    void aRetainedPayloadOutlivesTheNotifysReleaseUntilItsOwnRelease() {
        InboundFrame.Notify notify = decode(HaproxyFrames.notify(1, 1, request("/held")));
        SpopMessage message = notify.messages().get(0);
        assertThat(message.retain()).isTrue();
        notify.release();

        assertThat(((TypedValue.StringValue) message.argument("path")).asString()).isEqualTo("/held");
        assertThat(decoder.leasedPayloads()).isEqualTo(1);
        message.release();
        assertThat(decoder.leasedPayloads()).isZero();
        assertThat(message.retain()).as("too late to retain").isFalse();
    }

    @Test
    void allMessagesOfOneNotifyShareOneLease() {
        InboundFrame.Notify notify = decode(HaproxyFrames.notify(1, 1, List.of(request("/one"), request("/two"))));
        assertThat(notify.messages()).hasSize(2);
        assertThat(((TypedValue.StringValue) notify.messages().get(1).argument("path")).asString()).isEqualTo("/two");
        assertThat(decoder.leasedPayloads()).isEqualTo(1);
        notify.release();
        assertThatThrownBy(() -> notify.messages().get(1).argument("path"))
                .isInstanceOf(IllegalReferenceCountException.class);
    }

    @Test
    void anEmptyNotifyHoldsNoLease() {
        InboundFrame.Notify notify = decode(HaproxyFrames.notify(1, 1, List.of()));
        assertThat(notify.messages()).isEmpty();
        assertThat(decoder.leasedPayloads()).isZero();
        notify.release();
    }

    @Test
    void aMalformedNotifyGivesItsBufferBack() {
        byte[] bad = HaproxyFrames.frame(FrameType.NOTIFY.id(), FrameFlags.FIN, 1, 1,
                Hex.bytes("03 \"msg\" 01 01 \"a\" 0f"));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(bad)))
                .isInstanceOf(DecoderException.class).hasCauseInstanceOf(SpopProtocolException.class);
        assertThat(decoder.leasedPayloads()).isZero();
    }

    @Test
    void aReassembledNotifyIsOneLeaseAndEveryAbandonedReassemblyGivesItsBufferBack() {
        decoder.fragmentationAccepted(true);
        SpopMessage message = request("/" + "f".repeat(600));
        // Complete reassembly: the reassembly buffer becomes the NOTIFY's lease.
        for (byte[] piece : HaproxyFrames.fragmentedNotify(3, 1, List.of(message), 100)) {
            channel.writeInbound(Unpooled.wrappedBuffer(piece));
        }
        InboundFrame.Notify notify = channel.readInbound();
        assertThat(((TypedValue.StringValue) notify.messages().get(0).argument("path")).asString())
                .isEqualTo("/" + "f".repeat(600));
        assertThat(decoder.leasedPayloads()).isEqualTo(1);
        notify.release();
        assertThat(decoder.leasedPayloads()).isZero();

        // Aborted by HAProxy.
        List<byte[]> pieces = HaproxyFrames.fragmentedNotify(4, 1, List.of(message), 100);
        channel.writeInbound(Unpooled.wrappedBuffer(pieces.get(0)));
        assertThat(decoder.leasedPayloads()).isEqualTo(1);
        channel.writeInbound(Unpooled.wrappedBuffer(HaproxyFrames.abortFragment(4, 1)));
        assertThat((Object) channel.readInbound()).isInstanceOf(InboundFrame.FragmentAborted.class);
        assertThat(decoder.leasedPayloads()).isZero();

        // Over the reassembly cap: dropped at once, later fragments discarded without a buffer.
        SpopMessage huge = request("/" + "h".repeat(5000));
        for (byte[] piece : HaproxyFrames.fragmentedNotify(5, 1, List.of(huge), 1000)) {
            channel.writeInbound(Unpooled.wrappedBuffer(piece));
        }
        assertThat((Object) channel.readInbound()).isInstanceOf(InboundFrame.NotifyTooLarge.class);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(decoder.leasedPayloads()).isZero();

        // A protocol error in the middle of a reassembly.
        channel.writeInbound(Unpooled.wrappedBuffer(pieces.get(0)));
        assertThat(decoder.leasedPayloads()).isEqualTo(1);
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(HaproxyFrames.notify(9, 9, message))))
                .isInstanceOf(DecoderException.class);
        assertThat(decoder.leasedPayloads()).isZero();
    }

    @Test
    void theConnectionClosingMidReassemblyGivesTheBufferBack() {
        decoder.fragmentationAccepted(true);
        List<byte[]> pieces = HaproxyFrames.fragmentedNotify(4, 1, List.of(request("/" + "x".repeat(500))), 100);
        channel.writeInbound(Unpooled.wrappedBuffer(pieces.get(0)), Unpooled.wrappedBuffer(pieces.get(1)));
        assertThat(decoder.leasedPayloads()).isEqualTo(1);
        channel.pipeline().remove(decoder);
        assertThat(decoder.leasedPayloads()).isZero();
    }

    @Test
    void buffersAreReusedAcrossNotifiesOfAConnection() {
        List<ByteBuf> frames = new ArrayList<>();
        byte[] frame = HaproxyFrames.notify(1, 1, request("/reuse"));
        byte[] previous = null;
        for (int i = 0; i < 50; i++) {
            InboundFrame.Notify notify = decode(frame);
            byte[] array = ((TypedValue.StringValue) notify.messages().get(0).argument("path")).array;
            if (previous != null) {
                assertThat(array).isSameAs(previous);
            }
            previous = array;
            notify.release();
        }
        assertThat(frames).isEmpty();
    }
}
