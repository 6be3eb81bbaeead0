package io.spoepolicy.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import reactor.core.publisher.Mono;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.SpopStatus;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.protocol.VarScope;
import io.spoepolicy.server.DrainSignal;
import io.spoepolicy.server.InflightLimiter;
import io.spoepolicy.server.NotifyHandler;
import io.spoepolicy.server.SessionContext;
import io.spoepolicy.server.SessionFactory;
import io.spoepolicy.server.SessionObserver;
import io.spoepolicy.server.SessionRegistry;
import io.spoepolicy.server.SessionSettings;
import io.spoepolicy.server.SpopSession;
import io.spoepolicy.server.TestSessions;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes a whole connection: decoder and session state machine in an {@link EmbeddedChannel},
 * with a handler that answers synchronously (one variable per message, echoing the first argument
 * so large values exercise ACK trimming).
 *
 * <p>Input layout: one option byte, then the stream. When the option byte's low bit is clear a
 * valid HELLO is sent first, so the fuzzer spends its time after the handshake. Properties: no
 * exception reaches the end of the pipeline, the agent never disconnects with "unknown error"
 * (its sign of an unexpected failure), every frame it writes parses and fits the negotiated size,
 * it sends at most one ACK per NOTIFY, every buffer is released, and every NOTIFY payload lease is
 * given back exactly once (a double release would surface as an "unknown error" disconnect).
 */
@ExtendWith(QuietLogs.class)
class SessionFuzzTest {

    private static final byte[] HELLO = HaproxyFrames.hello(1024, "pipelining,fragmentation", "fuzz");

    @FuzzTest(maxDuration = "10s")
    void session(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean handshake = (input[0] & 0x01) == 0;
        int chunk = (input[0] & 0x02) == 0 ? input.length : 5;
        Recorder recorder = new Recorder();
        SessionFactory factory = factory(recorder, (input[0] & 0x04) != 0);
        SpopSession session = TestSessions.create(factory);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(session.decoder(), session);
        List<ByteBuf> written = new ArrayList<>();
        int notifies = 0;
        int acks = 0;
        int maxFrame = 1024;
        try {
            if (handshake) {
                written.add(write(channel, HELLO, 0, HELLO.length));
            }
            for (int offset = 1; offset < input.length; offset += chunk) {
                written.add(write(channel, input, offset, Math.min(input.length, offset + chunk)));
                channel.runPendingTasks();
                channel.checkException();
            }
            channel.runPendingTasks();
            for (Object out; (out = channel.readOutbound()) != null; ) {
                ByteBuf frame = (ByteBuf) out;
                try {
                    assertThat(frame.readableBytes()).as("frame size").isLessThanOrEqualTo(4 + maxFrame);
                    assertThat(frame.getInt(frame.readerIndex())).isEqualTo(frame.readableBytes() - 4);
                    byte[] body = new byte[frame.readableBytes() - 4];
                    frame.getBytes(frame.readerIndex() + 4, body);
                    AgentFrame parsed = SpopTestClient.parse(body);
                    if (parsed instanceof AgentFrame.Ack) {
                        acks++;
                    }
                    else if (parsed instanceof AgentFrame.Hello hello) {
                        maxFrame = (int) hello.maxFrameSize();
                    }
                }
                finally {
                    frame.release();
                }
            }
            notifies = recorder.notifies;
            assertThat(acks).as("ACKs for %d NOTIFYs", notifies).isLessThanOrEqualTo(notifies);
            assertThat(recorder.statuses).as("disconnect statuses").doesNotContain(SpopStatus.UNKNOWN);
        }
        finally {
            channel.finishAndReleaseAll();
            channel.runPendingTasks();
        }
        for (ByteBuf buffer : written) {
            assertThat(buffer.refCnt()).as("input buffers are released").isZero();
        }
        // NOTIFYs answered, dropped unstarted and cut by the close all gave their payload back once.
        assertThat(session.decoder().leasedPayloads()).as("payload leases").isZero();
    }

    private static ByteBuf write(EmbeddedChannel channel, byte[] bytes, int from, int to) {
        ByteBuf buffer = Unpooled.buffer(to - from);
        buffer.writeBytes(bytes, from, to - from);
        channel.writeInbound(buffer);
        return buffer;
    }

    private static SessionFactory factory(Recorder recorder, boolean failing) {
        SessionSettings settings = new SessionSettings(1024, 4096, 4, 8, true, 8192, Duration.ofSeconds(5),
                Duration.ZERO, Duration.ofSeconds(1), List.of("pipelining", "fragmentation"));
        return new SessionFactory(settings, new EchoHandler(recorder, failing), new InflightLimiter(16),
                new SessionRegistry(), recorder, new DrainSignal(), 0);
    }

    /** Counts NOTIFYs and records the disconnect statuses the agent sends. */
    private static final class Recorder implements SessionObserver {
        int notifies;
        final List<SpopStatus> statuses = new ArrayList<>();

        @Override
        public void disconnectSent(SpopStatus status) {
            statuses.add(status);
        }
    }

    /** One SET-VAR per message carrying its first argument; optionally fails on odd streams. */
    private record EchoHandler(Recorder recorder, boolean failing) implements NotifyHandler {

        @Override
        public Mono<List<Action>> handle(InboundFrame.Notify notify, SessionContext session) {
            recorder.notifies++;
            if (failing && (notify.streamId() & 1) == 1) {
                return Mono.error(new IllegalStateException("policy failure"));
            }
            List<Action> actions = new ArrayList<>();
            for (SpopMessage message : notify.messages()) {
                TypedValue value = message.arguments().isEmpty() ? TypedValue.NULL : message.arguments().get(0).value();
                actions.add(Action.setVar(VarScope.TRANSACTION, message.name(), value));
            }
            return Mono.just(actions);
        }

        @Override
        public List<Action> failureActions(Throwable error) {
            return List.of(Action.setVar(VarScope.TRANSACTION, "agent_error", TypedValue.of("exception")));
        }

        @Override
        public Action noopAction() {
            return Action.unsetVar(VarScope.TRANSACTION, "noop");
        }
    }
}
