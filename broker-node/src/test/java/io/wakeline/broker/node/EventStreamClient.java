package io.wakeline.broker.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** An app server reading {@code GET /events} (Server-Sent Events) with the JDK client, as tests see it. */
final class EventStreamClient implements AutoCloseable {

    record Event(long id, String type, String data) {
    }

    private final Stream<String> lines;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final Thread reader;

    private EventStreamClient(Stream<String> lines) {
        this.lines = lines;
        this.reader = new Thread(this::read, "sse-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static HttpRequest.Builder request(String baseUrl, String query, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/events" + query))
                .header("Accept", "text/event-stream");
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    /** Opens the stream (failing unless 200 text/event-stream), resuming after {@code lastEventId} if given. */
    static EventStreamClient open(HttpClient http, String baseUrl, String token, Optional<Long> lastEventId,
                                  String query) throws Exception {
        return open(http, request(baseUrl, query, token), lastEventId);
    }

    /** Any event stream of the gateway, e.g. a Web Push receipt subscription (its URL is its credential). */
    static EventStreamClient open(HttpClient http, URI stream, Optional<Long> lastEventId) throws Exception {
        return open(http, HttpRequest.newBuilder(stream).header("Accept", "text/event-stream"), lastEventId);
    }

    private static EventStreamClient open(HttpClient http, HttpRequest.Builder request, Optional<Long> lastEventId)
            throws Exception {
        lastEventId.ifPresent(id -> request.header("Last-Event-ID", Long.toString(id)));
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new AssertionError("event stream answered " + response.statusCode());
        }
        String contentType = response.headers().firstValue("content-type").orElse("");
        if (!contentType.startsWith("text/event-stream")) {
            response.body().close();
            throw new AssertionError("content type " + contentType);
        }
        return new EventStreamClient(response.body());
    }

    private void read() {
        String id = null;
        String type = null;
        StringBuilder data = null;
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id == null ? -1 : Long.parseLong(id), type == null ? "message" : type,
                                data.toString()));
                    }
                    id = null;
                    type = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    heartbeats.incrementAndGet();
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> type = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (RuntimeException closed) {
            // the test closed the stream
        }
    }

    Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return event;
    }

    List<Event> take(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> taken = new ArrayList<>(n);
        while (taken.size() < n) {
            long left = deadline - System.nanoTime();
            Event event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("got " + taken.size() + " of " + n + " events within " + timeout);
            }
            taken.add(event);
        }
        return taken;
    }

    /** Events that arrived so far and were not taken. */
    List<Event> drain() {
        List<Event> drained = new ArrayList<>();
        events.drainTo(drained);
        return drained;
    }

    int heartbeats() {
        return heartbeats.get();
    }

    @Override
    public void close() {
        lines.close();
        reader.interrupt();
    }
}
