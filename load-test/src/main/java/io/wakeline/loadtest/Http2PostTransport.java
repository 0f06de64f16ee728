package io.wakeline.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * {@code --client netty} (the default): the scenarios' POSTs over Netty's HTTP/2 client. The JDK's
 * {@code HttpClient} spends about 0.8 ms of CPU per request, which a benchmark's broker on the same
 * machine would miss; this client spends a fraction of that. {@code --connections N} gives N HTTP/2
 * connections per origin (as N JDK clients did), spread over at most one event-loop thread per core.
 * Requests beyond a connection's SETTINGS_MAX_CONCURRENT_STREAMS wait in the client until a stream
 * frees or their timeout ends them.
 */
final class Http2PostTransport implements PostTransport {

    static final String THREAD_NAME_PREFIX = "load-test-h2";
    private static final int HTTPS_PORT = 443;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final NettyTls tls;
    private final int connections;
    private final Duration requestTimeout;
    private final ConcurrentMap<String, Http2Connection[]> byAuthority = new ConcurrentHashMap<>();

    /**
     * @param pinned         trust as built by {@link PinnedTrust} for {@code --trust-pem}
     * @param connections    connections per origin, used round-robin by the caller's index
     * @param requestTimeout per request, from hand-over to the last answer byte; also bounds connecting
     */
    Http2PostTransport(SSLContext pinned, int connections, Duration requestTimeout) {
        int threads = Math.min(connections, Runtime.getRuntime().availableProcessors());
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory(THREAD_NAME_PREFIX, false));
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        Math.max(1, requestTimeout.toMillis())));
        this.tls = new NettyTls(pinned);
        this.connections = connections;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public CompletableFuture<PostAnswer> post(int connection, PostRequest request) {
        Http2Exchange exchange = new Http2Exchange(request, System.nanoTime() + requestTimeout.toNanos());
        URI uri = request.uri();
        if (!"https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
            exchange.fail(new IOException("the HTTP/2 client sends to https URIs only, got " + uri));
            return exchange.answer();
        }
        Http2Connection[] lanes = byAuthority.get(uri.getRawAuthority());
        if (lanes == null) {
            lanes = byAuthority.computeIfAbsent(uri.getRawAuthority(), authority -> newLanes(uri));
        }
        lanes[Math.floorMod(connection, lanes.length)].submit(exchange);
        return exchange.answer();
    }

    private Http2Connection[] newLanes(URI uri) {
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        int port = uri.getPort() < 0 ? HTTPS_PORT : uri.getPort();
        Http2Connection[] lanes = new Http2Connection[connections];
        for (int i = 0; i < connections; i++) {
            lanes[i] = new Http2Connection(bootstrap, (EventLoop) group.next(), host, port, tls, requestTimeout);
        }
        return lanes;
    }

    /**
     * Closes every connection and ends the event-loop threads (waiting at most a few seconds); requests
     * still in flight fail. Afterwards {@link #post} fails at once.
     */
    @Override
    public void close() {
        group.shutdownGracefully(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis() * 2);
    }
}
