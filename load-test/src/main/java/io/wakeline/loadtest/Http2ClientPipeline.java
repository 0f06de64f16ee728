package io.wakeline.loadtest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.time.Duration;

/**
 * The Netty pipeline of one client connection: TLS, a check that the server chose {@code h2} by ALPN,
 * then the HTTP/2 codec, whose streams beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS are
 * buffered by the encoder ({@code StreamBufferingEncoder}) instead of failing. What happens on the
 * connection is reported to {@link Events} (the {@link Http2Session}), on the event loop.
 */
final class Http2ClientPipeline {

    /** What the session needs to hear from the connection. */
    interface Events {

        /** HTTP/2 was agreed; requests go through {@code handler}'s encoder with {@code context}. */
        void negotiated(ChannelHandlerContext context, Http2ConnectionHandler handler);

        /** Something ended or will end the connection; the first cause is what its requests report. */
        void failed(Throwable cause);

        void settingsRead();

        void headersRead(int streamId, Http2Headers headers, boolean endOfStream);

        void dataEnded(int streamId);

        void resetByServer(int streamId, long errorCode);

        void goAwayRead();
    }

    private Http2ClientPipeline() {
    }

    /** {@code handshakeTimeout} bounds the TLS handshake; {@code host} is used for SNI and the host-name check. */
    static ChannelInitializer<Channel> initializer(NettyTls tls, String host, int port, Duration handshakeTimeout,
            Events events) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(tls.newHandler(channel.alloc(), host, port, handshakeTimeout),
                        new Negotiation(host + ":" + port, events), new LastResort(events));
            }
        };
    }

    /** After the TLS handshake: the HTTP/2 codec if the server chose {@code h2}, else the connection is closed. */
    private static final class Negotiation extends ApplicationProtocolNegotiationHandler {

        private static final String NONE = "(none)";

        private final String origin;
        private final Events events;

        Negotiation(String origin, Events events) {
            super(NONE);
            this.origin = origin;
            this.events = events;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                events.failed(new IOException("server " + origin + " did not choose HTTP/2 by ALPN (chose "
                        + protocol + "); use --client jdk for an HTTP/1.1 server"));
                ctx.close();
                return;
            }
            Http2ConnectionHandler handler = new HandlerBuilder(events).build();
            ctx.pipeline().addAfter(ctx.name(), null, handler);
            events.negotiated(ctx.pipeline().context(handler), handler);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                events.failed(handshake.cause());
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.failed(cause);
            ctx.close();
        }
    }

    /** Last in the pipeline: whatever no handler dealt with closes the connection. */
    private static final class LastResort extends ChannelInboundHandlerAdapter {

        private final Events events;

        LastResort(Events events) {
            this.events = events;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.failed(cause);
            ctx.close();
        }
    }

    /** The client's HTTP/2 codec: streams beyond the server's limit are buffered by the encoder; no push. */
    private static final class HandlerBuilder
            extends AbstractHttp2ConnectionHandlerBuilder<Http2ConnectionHandler, HandlerBuilder> {

        private final Events events;

        HandlerBuilder(Events events) {
            this.events = events;
            server(false);
            encoderEnforceMaxConcurrentStreams(true);
            initialSettings(Http2Settings.defaultSettings().pushEnabled(false));
            frameListener(new Frames(events));
        }

        @Override
        public Http2ConnectionHandler build() {
            return super.build();
        }

        @Override
        protected Http2ConnectionHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                Http2Settings initialSettings) {
            return new Http2ConnectionHandler(decoder, encoder, initialSettings) {
                @Override
                protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
                        Http2Exception http2Exception) {
                    events.failed(cause);
                    super.onConnectionError(ctx, outbound, cause, http2Exception);
                }
            };
        }
    }

    /** The frames the client acts on; flow control is returned for every DATA byte, which is discarded. */
    private static final class Frames extends Http2FrameAdapter {

        private final Events events;

        Frames(Events events) {
            this.events = events;
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
            events.settingsRead();
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) {
            events.headersRead(streamId, headers, endOfStream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                short weight, boolean exclusive, int padding, boolean endOfStream) {
            events.headersRead(streamId, headers, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                boolean endOfStream) {
            if (endOfStream) {
                events.dataEnded(streamId);
            }
            return data.readableBytes() + padding;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            events.resetByServer(streamId, errorCode);
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
            events.goAwayRead();
        }
    }
}
