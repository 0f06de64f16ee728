package io.wakeline.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One of the {@code --connections} to one origin: it owns an event loop, opens an {@link Http2Session}
 * on first use and a new one after the previous closed or was told GOAWAY, and times requests out.
 * Its state is touched only on its event loop, so it needs no locks.
 */
final class Http2Connection {

    static final String TIMED_OUT = "request timed out";

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;
    private final NettyTls tls;
    private final Duration connectTimeout;
    private Http2Session session;

    Http2Connection(Bootstrap bootstrap, EventLoop loop, String host, int port, NettyTls tls, Duration connectTimeout) {
        this.loop = loop;
        this.bootstrap = bootstrap.clone(loop);
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.connectTimeout = connectTimeout;
    }

    /** Hands the exchange to the event loop; never blocks and never runs it on the caller's thread. */
    void submit(Http2Exchange exchange) {
        try {
            loop.execute(() -> start(exchange));
        } catch (RejectedExecutionException closed) {
            exchange.fail(new IOException("the load test's HTTP/2 client is closed", closed));
        }
    }

    private void start(Http2Exchange exchange) {
        long remaining = exchange.deadlineNanos() - System.nanoTime();
        if (remaining <= 0) {
            exchange.fail(new HttpTimeoutException(TIMED_OUT));
            return;
        }
        exchange.timer(loop.schedule(() -> timeOut(exchange), remaining, TimeUnit.NANOSECONDS));
        if (session == null || !session.acceptsNewStreams()) {
            session = Http2Session.open(bootstrap, host, port, tls, connectTimeout);
        }
        session.submit(exchange);
    }

    /** A transport error like the JDK client's; the stream (or its place in a queue) is given up. */
    private static void timeOut(Http2Exchange exchange) {
        Http2Session owner = exchange.session();
        if (exchange.fail(new HttpTimeoutException(TIMED_OUT)) && owner != null) {
            owner.cancel(exchange);
        }
    }
}
