package io.wakeline.loadtest;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTPS server that speaks only HTTP/2 (TLS, ALPN {@code h2}, Netty's server codec), because
 * {@code com.sun.net.httpserver} speaks only HTTP/1.1 and the Netty client speaks only HTTP/2. Each
 * request is read whole and handed to the handler on a worker thread, which may block. A handler that
 * neither responds nor streams leaves the stream open (for timeout tests). It counts how many requests
 * its handlers held at once (received, not yet answered): what a client's respect of
 * SETTINGS_MAX_CONCURRENT_STREAMS bounds.
 */
final class Http2TestServer implements AutoCloseable {

    /** What Akka HTTP's server advertises by default. */
    static final int DEFAULT_MAX_CONCURRENT_STREAMS = 256;

    private static final int MAX_BODY_BYTES = 2 << 20;
    private static final long WRITE_TIMEOUT_SECONDS = 5;

    /** Answers one request. */
    interface Handler {
        void handle(FakeExchange exchange) throws Exception;
    }

    private final EventLoopGroup group;
    private final ExecutorService workers;
    private final Channel serverChannel;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger mostHeld = new AtomicInteger();
    private final Map<Channel, AtomicInteger> requestsByConnection = new ConcurrentHashMap<>();

    private Http2TestServer(EventLoopGroup group, ExecutorService workers, ServerBootstrap bootstrap)
            throws InterruptedException {
        this.group = group;
        this.workers = workers;
        this.serverChannel = bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    static Http2TestServer start(TestCertificate certificate, int maxConcurrentStreams, int workerThreads,
            Handler handler) throws IOException, GeneralSecurityException, InterruptedException {
        SslContext tls = new JdkSslContext(certificate.serverContext(), false, null, IdentityCipherSuiteFilter.INSTANCE,
                new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2),
                ClientAuth.NONE, null, false);
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("h2-test-server", true));
        ExecutorService workers = Executors.newFixedThreadPool(workerThreads,
                new DefaultThreadFactory("h2-test-handler", true));
        Http2TestServer[] self = new Http2TestServer[1];
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel connection) {
                        connection.pipeline().addLast(tls.newHandler(connection.alloc()),
                                Http2FrameCodecBuilder.forServer()
                                        .initialSettings(Http2Settings.defaultSettings()
                                                .maxConcurrentStreams(maxConcurrentStreams))
                                        .build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                                new HttpObjectAggregator(MAX_BODY_BYTES),
                                                self[0].new Dispatch(handler));
                                    }
                                }),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close(); // e.g. a client that refused our certificate: expected in tests
                                    }
                                });
                    }
                });
        self[0] = new Http2TestServer(group, workers, bootstrap);
        return self[0];
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    URI uri(String path) {
        return URI.create("https://127.0.0.1:" + port() + path);
    }

    /** The most requests the handlers held at once. */
    int mostRequestsHeldAtOnce() {
        return mostHeld.get();
    }

    /** Requests per connection, in no particular order: one entry per connection that sent any. */
    List<Integer> requestsPerConnection() {
        List<Integer> counts = new ArrayList<>();
        requestsByConnection.values().forEach(count -> counts.add(count.get()));
        return counts;
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        workers.shutdownNow();
    }

    /** Hands each whole request to the handler, off the event loop. */
    private final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final Handler handler;

        Dispatch(Handler handler) {
            this.handler = handler;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Map<String, String> headers = new HashMap<>();
            request.headers().forEach(header -> headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
                    header.getValue()));
            StreamExchange exchange = new StreamExchange(ctx.channel(), request.method().name(), request.uri(), headers,
                    ByteBufUtil.getBytes(request.content()));
            requestsByConnection.computeIfAbsent(ctx.channel().parent(), connection -> new AtomicInteger())
                    .incrementAndGet();
            mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
            workers.execute(() -> {
                try {
                    handler.handle(exchange);
                    exchange.endStreamingIfStarted();
                } catch (Exception e) {
                    exchange.failIfUnanswered();
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A {@link FakeExchange} on one HTTP/2 stream (a Netty child channel speaking HTTP/1-style objects). */
    private final class StreamExchange implements FakeExchange {

        private final Channel stream;
        private final String method;
        private final String path;
        private final Map<String, String> headers;
        private final byte[] body;
        private final Map<String, String> responseHeaders = new LinkedHashMap<>();
        private boolean answered;
        private StreamBody streaming;

        StreamExchange(Channel stream, String method, String path, Map<String, String> headers, byte[] body) {
            this.stream = stream;
            this.method = method;
            this.path = path;
            this.headers = Map.copyOf(headers);
            this.body = body;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String requestHeader(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public Map<String, String> requestHeaders() {
            return headers;
        }

        @Override
        public byte[] requestBody() {
            return body.clone();
        }

        @Override
        public Map<String, String> responseHeaders() {
            return responseHeaders;
        }

        @Override
        public void respond(int status, byte[] answer) throws IOException {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(answer));
            responseHeaders.forEach(response.headers()::set);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.length);
            markAnswered();
            await(stream.writeAndFlush(response));
        }

        @Override
        public OutputStream respondStreaming(int status) throws IOException {
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
            responseHeaders.forEach(response.headers()::set);
            markAnswered();
            await(stream.writeAndFlush(response));
            streaming = new StreamBody();
            return streaming;
        }

        void endStreamingIfStarted() throws IOException {
            if (streaming != null) {
                streaming.close();
            }
        }

        void failIfUnanswered() {
            if (!answered) {
                try {
                    respond(500, new byte[0]);
                } catch (IOException gone) {
                    // the client left; nothing to answer
                }
            }
        }

        private void markAnswered() {
            if (!answered) {
                answered = true;
                held.decrementAndGet();
            }
        }

        private void await(ChannelFuture write) throws IOException {
            if (!write.awaitUninterruptibly(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("write not done within " + WRITE_TIMEOUT_SECONDS + " s");
            }
            if (!write.isSuccess()) {
                throw new IOException("client gone: " + write.cause(), write.cause());
            }
        }

        /** DATA frames, each write flushed; closing ends the stream. */
        private final class StreamBody extends OutputStream {

            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (closed || !stream.isActive()) {
                    throw new IOException("stream closed");
                }
                await(stream.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(bytes, offset, length))));
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    if (stream.isActive()) {
                        await(stream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
                    }
                }
            }
        }
    }
}
