package io.wakeline.loadtest;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Follows an app's {@code GET /events} stream (Server-Sent Events) on its own thread, handing each event to a
 * listener; after a disconnect it reconnects with {@code Last-Event-ID}, as an app server should, so no event
 * is lost or repeated.
 */
final class EventStreamReader implements AutoCloseable {
    private static final Duration RECONNECT_DELAY = Duration.ofMillis(200);

    /** One SSE event: its id (sequence number), type and data line. */
    record StreamEvent(long id, String type, String data) {
    }

    private final HttpClient client;
    private final URI eventsUri;
    private final AccessTokenSource tokens;
    private final Consumer<StreamEvent> listener;
    private final Thread thread;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final AtomicLong reconnects = new AtomicLong();
    private volatile long lastEventId = -1;
    private volatile boolean closed;
    private volatile InputStream body;

    EventStreamReader(HttpClient client, URI eventsUri, AccessTokenSource tokens, Consumer<StreamEvent> listener) {
        this.client = client;
        this.eventsUri = eventsUri;
        this.tokens = tokens;
        this.listener = listener;
        this.thread = new Thread(this::follow, "event-stream-reader");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits until the first connection was answered with 200. */
    boolean awaitConnected(Duration timeout) throws InterruptedException {
        return connected.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    long reconnects() {
        return reconnects.get();
    }

    private void follow() {
        boolean first = true;
        while (!closed) {
            if (!first) {
                reconnects.incrementAndGet();
                sleep(RECONNECT_DELAY);
            }
            first = false;
            try {
                readOnce();
            } catch (Exception e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void readOnce() throws Exception {
        String token = tokens.current().get(10, TimeUnit.SECONDS).value();
        HttpRequest.Builder request = HttpRequest.newBuilder(eventsUri)
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
        if (lastEventId >= 0) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        body = response.body();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() == 401) {
                tokens.renewAfterRejection(tokens.current().get(10, TimeUnit.SECONDS));
                return;
            }
            if (response.statusCode() != 200) {
                return;
            }
            connected.countDown();
            parse(reader);
        }
    }

    private void parse(BufferedReader reader) throws java.io.IOException {
        String id = null;
        String type = null;
        String data = null;
        for (String line = reader.readLine(); line != null && !closed; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    long eventId = id == null ? -1 : Long.parseLong(id);
                    listener.accept(new StreamEvent(eventId, type == null ? "message" : type, data));
                    if (eventId >= 0) {
                        lastEventId = eventId;
                    }
                }
                id = null;
                type = null;
                data = null;
            } else if (!line.startsWith(":")) {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                value = value.startsWith(" ") ? value.substring(1) : value;
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> type = value;
                    case "data" -> data = data == null ? value : data + "\n" + value;
                    default -> { }
                }
            }
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        InputStream open = body;
        if (open != null) {
            try {
                open.close();
            } catch (java.io.IOException ignored) {
                // closing to stop the reader; nothing to report
            }
        }
        thread.interrupt();
    }
}
