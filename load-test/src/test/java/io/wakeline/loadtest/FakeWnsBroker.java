package io.wakeline.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A stand-in for the broker's WNS-compatible API on loopback HTTPS: the token endpoint and raw
 * sends to {@code /w/<channel>}, with knobs for the answers the load test must count. It records
 * every send it served so tests can compare the report against what the server actually saw.
 * {@link #start} serves HTTP/1.1 (for the JDK client), {@link #startHttp2} HTTP/2 (the broker's
 * protocol, and the only one the default Netty client speaks).
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

    private FakeFront front;
    private final Map<String, ChannelAnswer> answers = new ConcurrentHashMap<>();
    private final List<ServedSend> served = new ArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicLong firstTokenUses = new AtomicLong();
    private volatile long firstTokenValidUses = Long.MAX_VALUE;
    private volatile Duration answerDelay = Duration.ZERO;

    private FakeWnsBroker() {
    }

    /** Over HTTP/1.1 only. */
    static FakeWnsBroker start(TestCertificate certificate) throws IOException, GeneralSecurityException {
        return start(certificate, FakeFront.Protocol.HTTP_1_1);
    }

    /** Over HTTP/2 only. */
    static FakeWnsBroker startHttp2(TestCertificate certificate) throws IOException, GeneralSecurityException {
        return start(certificate, FakeFront.Protocol.HTTP_2);
    }

    private static FakeWnsBroker start(TestCertificate certificate, FakeFront.Protocol protocol)
            throws IOException, GeneralSecurityException {
        FakeWnsBroker broker = new FakeWnsBroker();
        broker.front = FakeFront.start(protocol, certificate, WORKER_THREADS,
                Map.of(LoadTest.TOKEN_PATH, broker::token, CHANNEL_PATH, broker::send));
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
        return URI.create("https://127.0.0.1:" + front.port() + CHANNEL_PATH + channel);
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
        front.close();
    }

    private void token(FakeExchange exchange) throws IOException {
        String body = new String(exchange.requestBody(), StandardCharsets.UTF_8);
        Map<String, String> form = form(body);
        boolean valid = "POST".equals(exchange.method())
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

    private void send(FakeExchange exchange) throws IOException {
        byte[] payload = exchange.requestBody();
        String channel = exchange.path().substring(CHANNEL_PATH.length());
        String bearer = Optional.ofNullable(exchange.requestHeader("Authorization"))
                .filter(value -> value.startsWith("Bearer "))
                .map(value -> value.substring("Bearer ".length()))
                .orElse("");
        sleep(answerDelay);
        int status = status(exchange, channel, payload, bearer);
        synchronized (this) {
            served.add(new ServedSend(channel, status, payload, bearer, Map.copyOf(exchange.requestHeaders())));
        }
        exchange.respond(status, new byte[0]);
    }

    private int status(FakeExchange exchange, String channel, byte[] payload, String bearer) {
        if (!authorized(bearer)) {
            return 401;
        }
        String type = exchange.requestHeader("X-WNS-Type");
        String contentType = exchange.requestHeader("Content-Type");
        if (!"wns/raw".equals(type) || !"application/octet-stream".equals(contentType) || payload.length == 0) {
            return 400;
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return 413;
        }
        Map<String, String> headers = exchange.responseHeaders();
        headers.put("X-WNS-Msg-ID", Long.toHexString(System.nanoTime()).toUpperCase());
        if ("true".equals(exchange.requestHeader("X-WNS-RequestForStatus"))) {
            headers.put("X-WNS-DeviceConnectionStatus", "connected");
        }
        switch (answers.getOrDefault(channel, ChannelAnswer.RECEIVED)) {
            case RECEIVED -> {
                headers.put("X-WNS-Status", "received");
                headers.put("X-WNS-NotificationStatus", "received");
                return 200;
            }
            case DROPPED -> {
                headers.put("X-WNS-Status", "dropped");
                headers.put("X-WNS-NotificationStatus", "dropped");
                return 200;
            }
            case CHANNEL_THROTTLED_LEGACY_HEADER_ONLY -> {
                headers.put("X-WNS-NotificationStatus", "channelthrottled");
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

    private static void respond(FakeExchange exchange, int status, String json) throws IOException {
        exchange.responseHeaders().put("Content-Type", "application/json");
        exchange.responseHeaders().put("Cache-Control", "no-store");
        exchange.respond(status, json.getBytes(StandardCharsets.UTF_8));
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
