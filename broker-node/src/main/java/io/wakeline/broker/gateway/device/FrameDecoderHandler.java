package io.wakeline.broker.gateway.device;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.wakeline.protocol.DecodeResult;
import io.wakeline.protocol.FrameDecoder;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Netty adapter of the protocol's {@link FrameDecoder}: emits {@code Envelope}s and
 * {@link DecodeResult.Malformed} values. After a malformed result that closes the link the rest of the
 * stream is discarded (it is out of sync); an unknown message only skips its own frame.
 */
final class FrameDecoderHandler extends ByteToMessageDecoder {
    private final FrameDecoder decoder;
    private boolean failed;

    FrameDecoderHandler(FrameDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (failed) {
                in.skipBytes(in.readableBytes());
                return;
            }
            ByteBuffer view = in.nioBuffer(in.readerIndex(), in.readableBytes());
            int start = view.position();
            DecodeResult result = decoder.decode(view);
            if (result instanceof DecodeResult.Frame frame) {
                in.skipBytes(view.position() - start);
                out.add(frame.envelope());
            } else if (result instanceof DecodeResult.Malformed malformed && !malformed.closesLink()) {
                // a newer peer's message: the frame is consumed and the stream is still in sync
                in.skipBytes(view.position() - start);
                out.add(malformed);
            } else if (result instanceof DecodeResult.Malformed malformed) {
                failed = true;
                in.skipBytes(in.readableBytes());
                out.add(malformed);
                return;
            } else {
                return;
            }
        }
    }
}
