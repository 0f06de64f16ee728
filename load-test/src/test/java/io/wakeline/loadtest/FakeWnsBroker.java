package io.wakeline.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A stand-in for the broker's WNS-compatible API on loopback HTTPS: the token endpoint and raw
 * sends to {@code /w/<channel>}, with knobs for the answers the load test must count. It records
 * every send it served so tests can compare the report against what the server actually saw.
 */
final class FakeWnsBroker implements AutoCloseable {

    static final String APP_ID = "ms-app://S-1-15-2-1";
    static final String CLIENT_SECRET = "fake-secret";
    static final int MAX_PAYLOAD_BYTES = 5000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WORKER_THREADS = 32;
    private static final String CHANNEL_PATH = "/w/";

    /** How the fake answers sends to one channel. */
    enum ChannelAnswer {
        RECEIVED,
        DROPPED,
        /** Only the legacy {@code X-WNS-NotificationStatus} header, as older brokers send it. */
        CHANNEL_THROTTLED_LEGACY_HEADER_ONLY,
        NOT_FOUND
    }

    /** One send as the fake saw and answered it. */
    record ServedSend(String channel, int status, byte[] payload, String bearerToken, Map<String, String> headers) {
    }

    private final HttpsServer server;
    private final ExecutorService workers;
    private final Map<String, ChannelAnswer> answers = new ConcurrentHashMap<>();
    private final List<ServedSend> served = new ArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicLong firstTokenUses = new AtomicLong();
    private volatile long firstTokenValidUses = Long.MAX_VALUE;
    private volatile Duration answerDelay = Duration.ZERO;

    private FakeWnsBroker(HttpsServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    static FakeWnsBroker start(TestCertificate certificate) throws IOException, GeneralSecurityException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS);
        server.setExecutor(workers);
        FakeWnsBroker broker = new FakeWnsBroker(server, workers);
        server.createContext(LoadTest.TOKEN_PATH, broker::token);
        server.createContext(CHANNEL_PATH, broker::send);
        server.start();
        return broker;
    }

    void answer(String channel, ChannelAnswer answer) {
        answers.put(channel, answer);
    }

    /** The first token issued is accepted for this many sends, then answered with 401 like an expired one. */
    void expireFirstTokenAfter(long uses) {
        firstTokenValidUses = uses;
    }

    /** Holds every send's answer (401s included) this long, so sends pile up in flight. */
    void delayEachAnswer(Duration delay) {
        answerDelay = delay;
    }

    URI channelUri(String channel) {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + CHANNEL_PATH + channel);
    }

    int tokenRequests() {
        return tokenRequests.get();
    }

    synchronized List<ServedSend> served() {
        return List.copyOf(served);
    }

    Map<Integer, Long> servedByStatus() {
        return served().stream().collect(Collectors.groupingBy(ServedSend::status, Collectors.counting()));
    }

    /** A channel file as the device simulator writes it, one line per channel, plus one for another app. */
    Path writeChannelFile(Path directory, String... channels) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < channels.length; i++) {
            lines.add(channelLine("dev-" + i, APP_ID, channels[i]));
        }
        lines.add(channelLine("dev-other", "ms-app://S-1-15-2-999", "other-app-channel"));
        Path file = Files.createTempFile(directory, "channels", ".jsonl");
        Files.write(file, lines);
        return file;
    }

    private String channelLine(String deviceId, String appId, String channel) throws IOException {
        Map<String, Object> line = new HashMap<>();
        line.put("deviceId", deviceId);
        line.put("appId", appId);
        line.put("channelUri", channelUri(channel).toString());
        line.put("channelId", channel);
        line.put("expiresAtMillis", System.currentTimeMillis() + Duration.ofDays(30).toMillis());
        return JSON.writeValueAsString(line);
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = form(body);
            boolean valid = "POST".equals(exchange.getRequestMethod())
                    && "client_credentials".equals(form.get("grant_type"))
                    && APP_ID.equals(form.get("client_id"))
                    && CLIENT_SECRET.equals(form.get("client_secret"))
                    && "notify.windows.com".equals(form.get("scope"));
            if (!valid) {
                respond(exchange, 400, "{\"error\":\"invalid_client\",\"error_description\":\"bad credentials\"}");
                return;
            }
            int issued = tokenRequests.incrementAndGet();
            respond(exchange, 200, "{\"access_token\":\"token-" + issued
                    + "\",\"token_type\":\"bearer\",\"expires_in\":86400}");
        }
    }

    private void send(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] payload = exchange.getRequestBody().readAllBytes();
            String channel = exchange.getRequestURI().getPath().substring(CHANNEL_PATH.length());
            String bearer = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
                    .filter(value -> value.startsWith("Bearer "))
                    .map(value -> value.substring("Bearer ".length()))
                    .orElse("");
            sleep(answerDelay);
            int status = status(exchange, channel, payload, bearer);
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            synchronized (this) {
                served.add(new ServedSend(channel, status, payload, bearer, Map.copyOf(headers)));
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    private int status(HttpExchange exchange, String channel, byte[] payload, String bearer) {
        if (!authorized(bearer)) {
            return 401;
        }
        String type = exchange.getRequestHeaders().getFirst("X-WNS-Type");
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (!"wns/raw".equals(type) || !"application/octet-stream".equals(contentType) || payload.length == 0) {
            return 400;
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return 413;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("X-WNS-Msg-ID", Long.toHexString(System.nanoTime()).toUpperCase());
        if ("true".equals(exchange.getRequestHeaders().getFirst("X-WNS-RequestForStatus"))) {
            headers.set("X-WNS-DeviceConnectionStatus", "connected");
        }
        switch (answers.getOrDefault(channel, ChannelAnswer.RECEIVED)) {
            case RECEIVED -> {
                headers.set("X-WNS-Status", "received");
                headers.set("X-WNS-NotificationStatus", "received");
                return 200;
            }
            case DROPPED -> {
                headers.set("X-WNS-Status", "dropped");
                headers.set("X-WNS-NotificationStatus", "dropped");
                return 200;
            }
            case CHANNEL_THROTTLED_LEGACY_HEADER_ONLY -> {
                headers.set("X-WNS-NotificationStatus", "channelthrottled");
                return 200;
            }
            case NOT_FOUND -> {
                headers.remove("X-WNS-Msg-ID");
                return 404;
            }
            default -> throw new IllegalStateException("unreachable");
        }
    }

    private boolean authorized(String bearer) {
        if (bearer.equals("token-1")) {
            return firstTokenUses.incrementAndGet() <= firstTokenValidUses;
        }
        return bearer.matches("token-[0-9]+");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
