package io.wakeline.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the broker's guaranteed path on loopback HTTPS: the token endpoint, control sends to
 * {@code /cc/<token>} answered 201 with a broker message id, and {@code GET /events} (SSE) carrying an
 * ACCEPTED, DELIVERED and ACKED receipt per accepted message, resumable by {@code Last-Event-ID}.
 * {@link #start} serves HTTP/1.1 (for the JDK client), {@link #startHttp2} HTTP/2 (the broker's protocol,
 * and the only one the default Netty client speaks).
 */
final class FakeControlBroker implements AutoCloseable {
    static final String APP_ID = FakeWnsBroker.APP_ID;
    static final String CLIENT_SECRET = FakeWnsBroker.CLIENT_SECRET;
    private static final String TOKEN = "control-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int WORKER_THREADS = 16;

    private FakeFront front;
    /** The app's event log: index + 1 is the event id. */
    private final List<String> log = new ArrayList<>();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final List<String> lastEventIds = new ArrayList<>();
    private final List<String> clientIds = new ArrayList<>();
    private volatile int dropFirstStreamAfter = Integer.MAX_VALUE;

    private FakeControlBroker() {
    }

    /** Over HTTP/1.1 only. */
    static FakeControlBroker start(TestCertificate certificate) throws IOException, GeneralSecurityException {
        return start(certificate, FakeFront.Protocol.HTTP_1_1);
    }

    /** Over HTTP/2 only. */
    static FakeControlBroker startHttp2(TestCertificate certificate) throws IOException, GeneralSecurityException {
        return start(certificate, FakeFront.Protocol.HTTP_2);
    }

    private static FakeControlBroker start(TestCertificate certificate, FakeFront.Protocol protocol)
            throws IOException, GeneralSecurityException {
        FakeControlBroker broker = new FakeControlBroker();
        broker.front = FakeFront.start(protocol, certificate, WORKER_THREADS, Map.of(LoadTest.TOKEN_PATH, broker::token,
                "/cc/", broker::send, ControlLoadTest.EVENTS_PATH, broker::events));
        return broker;
    }

    /** The first event stream is cut after this many events, so the client must resume. */
    void dropFirstStreamAfter(int events) {
        dropFirstStreamAfter = events;
    }

    /** A receipt of some earlier run, already in the log before the load test starts. */
    synchronized void recordForeignReceipt() {
        log.add(receipt("someone-elses-message", "acked"));
    }

    int streamsOpened() {
        return streamsOpened.get();
    }

    synchronized List<String> lastEventIds() {
        return List.copyOf(lastEventIds);
    }

    synchronized List<String> clientIds() {
        return List.copyOf(clientIds);
    }

    /** Control channel lines ("kind":"control") plus one WNS channel line the control scenario must skip. */
    Path writeChannelFile(Path directory, int controlChannels) throws IOException {
        List<String> lines = new ArrayList<>();
        String base = "https://127.0.0.1:" + front.port();
        lines.add(JSON.writeValueAsString(Map.of("deviceId", "dev-w", "appId", APP_ID, "channelUri", base + "/w/raw",
                "channelId", "raw", "expiresAtMillis", Long.MAX_VALUE)));
        for (int i = 0; i < controlChannels; i++) {
            // the simulator's format for control channels (ChannelFile in device-simulator)
            lines.add(JSON.writeValueAsString(Map.of("kind", "control", "deviceId", "dev-" + i, "appId", APP_ID,
                    "controlChannelUri", base + "/cc/token-" + i, "channelId", "cc-" + i)));
        }
        Path file = Files.createTempFile(directory, "control-channels", ".jsonl");
        Files.write(file, lines);
        return file;
    }

    URI base() {
        return URI.create("https://127.0.0.1:" + front.port());
    }

    private void token(FakeExchange exchange) throws IOException {
        String body = new String(exchange.requestBody(), StandardCharsets.UTF_8);
        int status = body.contains("client_secret=" + CLIENT_SECRET) ? 200 : 400;
        byte[] answer = ("{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"bearer\",\"expires_in\":86400}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.responseHeaders().put("Content-Type", "application/json");
        exchange.respond(status, answer);
    }

    private void send(FakeExchange exchange) throws IOException {
        String clientId = exchange.requestHeader(ControlLoadTest.MESSAGE_ID_HEADER);
        if (!("Bearer " + TOKEN).equals(exchange.requestHeader("Authorization"))) {
            exchange.respond(401, new byte[0]);
            return;
        }
        if (clientId == null || exchange.requestHeader(ControlLoadTest.TTL_HEADER) == null) {
            exchange.respond(400, new byte[0]);
            return;
        }
        String brokerId = "b-" + clientId;
        synchronized (this) {
            clientIds.add(clientId);
            // like the broker: ACCEPTED is recorded before the answer goes out
            log.add(receipt(brokerId, "accepted"));
            log.add(receipt(brokerId, "delivered"));
            log.add(receipt(brokerId, "acked"));
            notifyAll();
        }
        exchange.responseHeaders().put(ControlLoadTest.MESSAGE_ID_HEADER, brokerId);
        exchange.respond(201, new byte[0]);
    }

    private static String receipt(String messageId, String fate) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deviceId", "dev");
        data.put("channelId", "cc");
        data.put("messageId", messageId);
        data.put("fate", fate);
        data.put("time", "2026-01-01T00:00:00Z");
        try {
            return JSON.writeValueAsString(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void events(FakeExchange exchange) throws IOException {
        try {
            if (!("Bearer " + TOKEN).equals(exchange.requestHeader("Authorization"))) {
                exchange.respond(401, new byte[0]);
                return;
            }
            boolean first = streamsOpened.incrementAndGet() == 1;
            String lastEventId = exchange.requestHeader("Last-Event-ID");
            synchronized (this) {
                lastEventIds.add(lastEventId == null ? "" : lastEventId);
            }
            int next = lastEventId == null ? 0 : Integer.parseInt(lastEventId);
            exchange.responseHeaders().put("Content-Type", "text/event-stream");
            OutputStream out = exchange.respondStreaming(200);
            int written = 0;
            while (true) {
                List<String> batch;
                synchronized (this) {
                    if (next >= log.size()) {
                        wait(200);
                    }
                    batch = List.copyOf(log.subList(Math.min(next, log.size()), log.size()));
                }
                StringBuilder frames = new StringBuilder(batch.isEmpty() ? ":\n\n" : "");
                for (String data : batch) {
                    next++;
                    frames.append("id: ").append(next).append("\nevent: receipt\ndata: ").append(data).append("\n\n");
                    written++;
                    if (first && written >= dropFirstStreamAfter) {
                        out.write(frames.toString().getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        return; // cut: the client must come back with Last-Event-ID
                    }
                }
                out.write(frames.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException closedByClient) {
            // the load test closed its stream
        }
    }

    @Override
    public void close() {
        front.close();
    }
}
