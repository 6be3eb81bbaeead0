package io.spoepolicy.loadgen;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.OutboundFrame;
import io.spoepolicy.protocol.SpopFrameEncoder;
import io.spoepolicy.protocol.SpopStatus;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.protocol.VarScope;
import io.spoepolicy.protocol.Varint;

/**
 * The reference agent of the end-to-end benchmark: it answers the handshake and acknowledges
 * every NOTIFY at once without reading its messages. Its ACK carries the same
 * {@code set-var(txn.<prefix>.action) "allow"} as the service's allow-all answer, so HAProxy does
 * the same work on both and the difference is the agent alone.
 *
 * <p>{@code --port=N} (required), {@code --threads=1}, {@code --ack=allow|empty}.
 */
public final class NoopAgent {

    private NoopAgent() {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = new Args(argv);
        int port = args.integer("port", 0, "port to listen on (loopback)");
        int threads = args.integer("threads", 1, "event-loop threads");
        boolean empty = args.string("ack", "allow", "allow | empty").equals("empty");
        args.checkUnknown();
        List<Action> actions = empty ? List.of()
                : List.of(Action.setVar(VarScope.TRANSACTION, "action", TypedValue.of("allow")));
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            group.shutdownGracefully();
            stopped.countDown();
        }));
        new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4),
                                new Responder(actions));
                    }
                })
                .bind("127.0.0.1", port).sync();
        System.out.println("no-op SPOP agent listening on 127.0.0.1:" + port);
        stopped.await();
    }

    /** Answers frames as they come; stateless apart from the encoder. */
    @ChannelHandler.Sharable
    static final class Responder extends SpopFrameHandler {
        private final List<Action> actions;
        private final SpopFrameEncoder encoder = new SpopFrameEncoder();

        Responder(List<Action> actions) {
            this.actions = actions;
        }

        @Override
        void frameRead(ChannelHandlerContext ctx, int type, int flags, ByteBuf frame) {
            long streamId = Varint.read(frame);
            long frameId = Varint.read(frame);
            if (type == FrameType.NOTIFY.id()) {
                ctx.write(encoder.encode(new OutboundFrame.Ack(streamId, frameId, actions), ctx.alloc()));
            }
            else if (type == FrameType.HAPROXY_HELLO.id()) {
                boolean healthcheck = frame.toString(java.nio.charset.StandardCharsets.ISO_8859_1).contains("healthcheck");
                ctx.write(encoder.encode(new OutboundFrame.AgentHello("2.0", 16380,
                        healthcheck ? List.of() : List.of("pipelining")), ctx.alloc()));
            }
            else if (type == FrameType.HAPROXY_DISCONNECT.id()) {
                ctx.writeAndFlush(encoder.encode(OutboundFrame.AgentDisconnect.of(SpopStatus.NORMAL), ctx.alloc()))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
