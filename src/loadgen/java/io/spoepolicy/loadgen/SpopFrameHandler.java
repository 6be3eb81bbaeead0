package io.spoepolicy.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Either end of a benchmark SPOP connection, after a length-field decoder: hands each frame's
 * type and flags to {@link #frameRead} with the rest of the frame, releases the frame after, and
 * flushes once per batch of reads so answers to pipelined frames leave in one write.
 */
abstract class SpopFrameHandler extends ChannelInboundHandlerAdapter {

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            int type = frame.readUnsignedByte();
            int flags = frame.readInt();
            frameRead(ctx, type, flags, frame);
        }
        finally {
            frame.release();
        }
    }

    /** {@code rest} starts at the stream id and is released on return. */
    abstract void frameRead(ChannelHandlerContext ctx, int type, int flags, ByteBuf rest);

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
