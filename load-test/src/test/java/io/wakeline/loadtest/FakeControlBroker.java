package io.wakeline.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the broker's guaranteed path on loopback HTTPS: the token endpoint, control sends to
 * {@code /cc/<token>} answered 201 with a broker message id, and {@code GET /events} (SSE) carrying an
 * ACCEPTED, DELIVERED and ACKED receipt per accepted message, resumable by {@code Last-Event-ID}.
 */
final class FakeControlBroker implements AutoCloseable {
    static final String APP_ID = FakeWnsBroker.APP_ID;
    static final String CLIENT_SECRET = FakeWnsBroker.CLIENT_SECRET;
    private static final String TOKEN = "control-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final ExecutorService workers;
    /** The app's event log: index + 1 is the event id. */
    private final List<String> log = new ArrayList<>();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final List<String> lastEventIds = new ArrayList<>();
    private final List<String> clientIds = new ArrayList<>();
    private volatile int dropFirstStreamAfter = Integer.MAX_VALUE;

    private FakeControlBroker(HttpsServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    static FakeControlBroker start(TestCertificate certificate) throws IOException, GeneralSecurityException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        ExecutorService workers = Executors.newFixedThreadPool(16);
        server.setExecutor(workers);
        FakeControlBroker broker = new FakeControlBroker(server, workers);
        server.createContext(LoadTest.TOKEN_PATH, broker::token);
        server.createContext("/cc/", broker::send);
        server.createContext(ControlLoadTest.EVENTS_PATH, broker::events);
        server.start();
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
        String base = "https://127.0.0.1:" + server.getAddress().getPort();
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
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = body.contains("client_secret=" + CLIENT_SECRET) ? 200 : 400;
            byte[] answer = ("{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"bearer\",\"expires_in\":86400}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private void send(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String clientId = exchange.getRequestHeaders().getFirst(ControlLoadTest.MESSAGE_ID_HEADER);
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (clientId == null || exchange.getRequestHeaders().getFirst(ControlLoadTest.TTL_HEADER) == null) {
                exchange.sendResponseHeaders(400, -1);
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
            exchange.getResponseHeaders().set(ControlLoadTest.MESSAGE_ID_HEADER, brokerId);
            exchange.sendResponseHeaders(201, -1);
        }
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

    private void events(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            boolean first = streamsOpened.incrementAndGet() == 1;
            String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
            synchronized (this) {
                lastEventIds.add(lastEventId == null ? "" : lastEventId);
            }
            int next = lastEventId == null ? 0 : Integer.parseInt(lastEventId);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
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
        server.stop(0);
        workers.shutdownNow();
    }
}
