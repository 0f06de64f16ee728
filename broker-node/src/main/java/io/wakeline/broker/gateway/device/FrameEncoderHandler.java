package io.wakeline.broker.gateway.device;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.wakeline.protocol.FrameEncoder;
import io.wakeline.protocol.v1.Envelope;

/** Writes {@code Envelope}s as length-delimited frames straight into the outbound (pooled) buffer. */
@ChannelHandler.Sharable
final class FrameEncoderHandler extends MessageToByteEncoder<Envelope> {
    static final FrameEncoderHandler INSTANCE = new FrameEncoderHandler();

    private FrameEncoderHandler() {
        super(Envelope.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Envelope msg, boolean preferDirect) {
        int size = FrameEncoder.frameSize(msg);
        return preferDirect ? ctx.alloc().ioBuffer(size, size) : ctx.alloc().heapBuffer(size, size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope msg, ByteBuf out) {
        int size = FrameEncoder.frameSize(msg);
        FrameEncoder.encodeInto(msg, out.nioBuffer(out.writerIndex(), size));
        out.writerIndex(out.writerIndex() + size);
    }
}
