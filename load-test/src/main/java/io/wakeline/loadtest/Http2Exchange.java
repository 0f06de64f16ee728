package io.wakeline.loadtest;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;

/**
 * One request on its way through {@link Http2PostTransport}: its deadline, the stream it got (0 while
 * it waits for a connection or a free stream) and the answer's head until the stream ends. Created on
 * the caller's thread, then touched only on its connection's event loop; the future completes once.
 */
final class Http2Exchange {

    private final PostRequest request;
    private final long deadlineNanos;
    private final CompletableFuture<PostAnswer> answer = new CompletableFuture<>();
    private ScheduledFuture<?> timer;
    private Http2Session session;
    private int streamId;
    private PostAnswer head;

    Http2Exchange(PostRequest request, long deadlineNanos) {
        this.request = request;
        this.deadlineNanos = deadlineNanos;
    }

    PostRequest request() {
        return request;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    CompletableFuture<PostAnswer> answer() {
        return answer;
    }

    boolean isDone() {
        return answer.isDone();
    }

    void timer(ScheduledFuture<?> timer) {
        this.timer = timer;
    }

    /** The session (connection) the request was handed to; null until then. */
    Http2Session session() {
        return session;
    }

    void session(Http2Session session) {
        this.session = session;
    }

    int streamId() {
        return streamId;
    }

    void streamId(int streamId) {
        this.streamId = streamId;
    }

    /** Status and headers already read while the body (discarded) is still coming; null before. */
    PostAnswer head() {
        return head;
    }

    void head(PostAnswer head) {
        this.head = head;
    }

    /** @return false if the exchange had already ended (answered, failed or timed out) */
    boolean complete(PostAnswer received) {
        cancelTimer();
        return answer.complete(received);
    }

    /** @return false if the exchange had already ended */
    boolean fail(Throwable cause) {
        cancelTimer();
        return answer.completeExceptionally(cause);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
