package io.wakeline.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One TLS connection speaking HTTP/2 to one origin, and the requests it carries. Requests handed over
 * while it connects wait here; once the server's first SETTINGS frame is in (so its
 * SETTINGS_MAX_CONCURRENT_STREAMS is known) they are written, and Netty's {@code StreamBufferingEncoder}
 * holds back any stream beyond that limit until another one closes, so the client queues instead of
 * failing. Every method runs on the connection's event loop.
 */
final class Http2Session implements Http2ClientPipeline.Events {

    private enum State {
        /** TCP, TLS and ALPN under way, or waiting for the server's SETTINGS. */
        CONNECTING,
        READY,
        /** The server sent GOAWAY (or stream ids ran out): finish what is open, start nothing new. */
        DRAINING,
        CLOSED
    }

    private final String host;
    private final int port;
    private final ArrayDeque<Http2Exchange> waiting = new ArrayDeque<>();
    private final IntObjectMap<Http2Exchange> streams = new IntObjectHashMap<>();
    private final Runnable flushTask = this::flush;
    private State state = State.CONNECTING;
    private Channel channel;
    private ChannelHandlerContext http2;
    private Http2ConnectionHandler handler;
    private Throwable failure;
    private boolean flushScheduled;
    private ScheduledFuture<?> readyTimer;

    private Http2Session(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Starts connecting; {@code connectTimeout} bounds TCP connect, TLS handshake and the server's
     * first SETTINGS together. Must be called on {@code bootstrap}'s event loop.
     */
    static Http2Session open(Bootstrap bootstrap, String host, int port, NettyTls tls, Duration connectTimeout) {
        Http2Session session = new Http2Session(host, port);
        ChannelFuture connect = bootstrap.clone()
                .handler(Http2ClientPipeline.initializer(tls, host, port, connectTimeout, session))
                .connect(host, port);
        session.channel = connect.channel();
        // the connection may already have failed (e.g. an unknown host): these listeners then run at once, in order
        session.readyTimer = session.channel.eventLoop().schedule(() -> session.notReadyIn(connectTimeout),
                connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                session.failed(plainConnectException(done.cause()));
            }
        });
        session.channel.closeFuture().addListener(closed -> session.closed());
        return session;
    }

    /** False once the server said GOAWAY or the connection closed: the next request needs a new session. */
    boolean acceptsNewStreams() {
        return state == State.CONNECTING || state == State.READY;
    }

    void submit(Http2Exchange exchange) {
        exchange.session(this);
        if (state == State.CONNECTING) {
            waiting.add(exchange);
        } else if (state == State.READY) {
            write(exchange);
        } else {
            exchange.fail(closeCause());
        }
    }

    /** The exchange timed out: forget it, and reset its stream (a buffered one is simply dropped). */
    void cancel(Http2Exchange exchange) {
        int streamId = exchange.streamId();
        if (streamId == 0) {
            waiting.remove(exchange);
            return;
        }
        if (streams.remove(streamId) != null && channel.isActive()) {
            handler.encoder().writeRstStream(http2, streamId, Http2Error.CANCEL.code(), http2.newPromise());
            scheduleFlush();
        }
        closeIfDrained();
    }

    private void write(Http2Exchange exchange) {
        int streamId = handler.connection().local().incrementAndGetNextStreamId();
        if (streamId <= 0) {
            state = State.DRAINING;
            exchange.fail(new IOException("HTTP/2 stream ids exhausted on the connection to " + origin()));
            closeIfDrained();
            return;
        }
        exchange.streamId(streamId);
        streams.put(streamId, exchange);
        PostRequest request = exchange.request();
        boolean bodyless = request.body().length == 0;
        ChannelPromise headersWritten = http2.newPromise();
        headersWritten.addListener(written -> {
            if (!written.isSuccess()) {
                streamFailed(streamId, written.cause());
            }
        });
        Http2ConnectionEncoder encoder = handler.encoder();
        encoder.writeHeaders(http2, streamId, Http2Messages.requestHeaders(request), 0, bodyless, headersWritten);
        if (!bodyless) {
            encoder.writeData(http2, streamId, Unpooled.wrappedBuffer(request.body()), 0, true, http2.newPromise());
        }
        scheduleFlush();
    }

    /** One flush for all requests written by the tasks already queued on the loop: fewer TLS records and syscalls. */
    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flush() {
        flushScheduled = false;
        channel.flush();
    }

    @Override
    public void negotiated(ChannelHandlerContext context, Http2ConnectionHandler connectionHandler) {
        http2 = context;
        handler = connectionHandler;
        handler.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                streamFailed(stream.id(), new IOException("HTTP/2 stream closed before its answer was complete"));
            }
        });
    }

    @Override
    public void settingsRead() {
        if (state != State.CONNECTING) {
            return;
        }
        state = State.READY;
        readyTimer.cancel(false);
        for (Http2Exchange exchange = waiting.poll(); exchange != null; exchange = waiting.poll()) {
            if (!exchange.isDone()) {
                write(exchange);
            }
        }
    }

    @Override
    public void headersRead(int streamId, Http2Headers headers, boolean endOfStream) {
        Http2Exchange exchange = streams.get(streamId);
        if (exchange == null) {
            return;
        }
        if (exchange.head() == null) {
            if (Http2Messages.isInformational(headers) && !endOfStream) {
                return;
            }
            try {
                exchange.head(Http2Messages.answer(headers));
            } catch (IllegalArgumentException malformed) {
                cancel(exchange);
                exchange.fail(new IOException(malformed.getMessage(), malformed));
                return;
            }
        }
        if (endOfStream) {
            dataEnded(streamId);
        }
    }

    /** The stream ended: its answer is complete. */
    @Override
    public void dataEnded(int streamId) {
        Http2Exchange exchange = streams.remove(streamId);
        if (exchange != null && exchange.head() != null) {
            exchange.complete(exchange.head());
        } else if (exchange != null) {
            exchange.fail(new IOException("HTTP/2 stream ended without a response status"));
        }
        closeIfDrained();
    }

    private void streamFailed(int streamId, Throwable cause) {
        Http2Exchange exchange = streams.remove(streamId);
        if (exchange != null) {
            exchange.fail(cause);
        }
        closeIfDrained();
    }

    @Override
    public void resetByServer(int streamId, long errorCode) {
        streamFailed(streamId, new IOException("HTTP/2 stream reset by the server: error code " + errorCode + " ("
                + Http2Error.valueOf(errorCode) + ")"));
    }

    @Override
    public void goAwayRead() {
        if (state != State.CLOSED) {
            state = State.DRAINING;
        }
        closeIfDrained();
    }

    private void closeIfDrained() {
        if (state == State.DRAINING && streams.isEmpty()) {
            channel.close();
        }
    }

    private void notReadyIn(Duration connectTimeout) {
        if (state == State.CONNECTING) {
            failed(new HttpConnectTimeoutException("HTTP/2 connection to " + origin() + " not ready within "
                    + connectTimeout));
            channel.close();
        }
    }

    private void closed() {
        state = State.CLOSED;
        readyTimer.cancel(false);
        Throwable cause = closeCause();
        List<Http2Exchange> open = new ArrayList<>(waiting);
        open.addAll(streams.values());
        waiting.clear();
        streams.clear();
        open.forEach(exchange -> exchange.fail(cause));
    }

    private Throwable closeCause() {
        return failure != null ? failure : new IOException("HTTP/2 connection to " + origin() + " closed");
    }

    /** The first failure is what every request on this connection reports. */
    @Override
    public void failed(Throwable cause) {
        if (failure == null) {
            failure = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        }
    }

    private String origin() {
        return host + ":" + port;
    }

    /** Netty's own subclass names the address; report it as the JDK client does, as a plain ConnectException. */
    private static Throwable plainConnectException(Throwable cause) {
        if (cause instanceof ConnectException && cause.getClass() != ConnectException.class) {
            ConnectException plain = new ConnectException(cause.getMessage());
            plain.initCause(cause);
            return plain;
        }
        return cause;
    }
}
