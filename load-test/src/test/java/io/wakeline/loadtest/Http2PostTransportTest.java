package io.wakeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Netty HTTP/2 client against a real HTTP/2-over-TLS server on loopback. */
class Http2PostTransportTest {

    private static final Duration GENEROUS = Duration.ofSeconds(10);

    @TempDir
    static Path certificates;

    private static TestCertificate loopback;
    private static TestCertificate otherName;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        loopback = TestCertificate.generate(Files.createDirectory(certificates.resolve("loopback")),
                TestCertificate.LOOPBACK_NAMES);
        otherName = TestCertificate.generate(Files.createDirectory(certificates.resolve("other")),
                "dns:broker.elsewhere.invalid");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private Http2TestServer server(int maxConcurrentStreams, Http2TestServer.Handler handler) throws Exception {
        Http2TestServer server = Http2TestServer.start(loopback, maxConcurrentStreams, 16, handler);
        toClose.add(server);
        return server;
    }

    private Http2PostTransport transport(TestCertificate trusted, HostnameVerification verification, int connections,
            Duration requestTimeout) throws Exception {
        Http2PostTransport transport = new Http2PostTransport(PinnedTrust.sslContext(trusted.pem(), verification),
                connections, requestTimeout);
        toClose.add(0, transport);
        return transport;
    }

    private Http2PostTransport transport(int connections, Duration requestTimeout) throws Exception {
        return transport(loopback, HostnameVerification.VERIFY, connections, requestTimeout);
    }

    private static PostRequest post(URI uri) {
        return new PostRequest(uri, Map.of("Content-Type", "application/octet-stream"), new byte[] {1, 2, 3});
    }

    private static Throwable failureOf(CompletableFuture<PostAnswer> answer) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> answer.get(GENEROUS.toSeconds(), TimeUnit.SECONDS));
        return failed.getCause();
    }

    @Test
    void requestsArriveWithMethodPathHeadersAndBodyAndTheAnswerComesBack() throws Exception {
        BlockingQueue<FakeExchange> received = new LinkedBlockingQueue<>();
        Http2TestServer server = server(Http2TestServer.DEFAULT_MAX_CONCURRENT_STREAMS, exchange -> {
            received.add(exchange);
            exchange.responseHeaders().put("X-Wakeline-Message-Id", "b-" + exchange.requestHeader("x-wakeline-message-id"));
            exchange.responseHeaders().put("X-WNS-Status", "received");
            exchange.respond(201, "ignored body".getBytes(StandardCharsets.UTF_8));
        });
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer token-1");
        headers.put("Content-Type", "application/octet-stream");
        headers.put("X-Wakeline-Message-Id", "lt-1");
        headers.put("X-Wakeline-TTL", "60");
        byte[] body = "payload bytes".getBytes(StandardCharsets.UTF_8);

        PostAnswer answer = transport(1, GENEROUS)
                .post(0, new PostRequest(server.uri("/cc/token-1?probe=1"), headers, body))
                .get(GENEROUS.toSeconds(), TimeUnit.SECONDS);

        FakeExchange seen = received.poll();
        assertAll(
                () -> assertEquals(201, answer.statusCode()),
                () -> assertEquals(HttpClient.Version.HTTP_2, answer.version()),
                () -> assertEquals("b-lt-1", answer.header("X-Wakeline-Message-Id").orElseThrow()),
                () -> assertEquals("received", answer.header("x-wns-status").orElseThrow()),
                () -> assertEquals("POST", seen.method()),
                () -> assertEquals("/cc/token-1?probe=1", seen.path()),
                () -> assertEquals("Bearer token-1", seen.requestHeader("Authorization")),
                () -> assertEquals("application/octet-stream", seen.requestHeader("Content-Type")),
                () -> assertEquals("lt-1", seen.requestHeader("X-Wakeline-Message-Id")),
                () -> assertEquals("60", seen.requestHeader("X-Wakeline-TTL")),
                () -> assertEquals(Integer.toString(body.length), seen.requestHeader("content-length")),
                () -> assertArrayEquals(body, seen.requestBody()));
    }

    @Test
    void aRequestWithoutBodyIsSentAsHeadersAlone() throws Exception {
        BlockingQueue<FakeExchange> received = new LinkedBlockingQueue<>();
        Http2TestServer server = server(Http2TestServer.DEFAULT_MAX_CONCURRENT_STREAMS, exchange -> {
            received.add(exchange);
            exchange.respond(204, new byte[0]);
        });

        PostAnswer answer = transport(1, GENEROUS).post(0, new PostRequest(server.uri("/empty"), Map.of(), new byte[0]))
                .get(GENEROUS.toSeconds(), TimeUnit.SECONDS);

        assertEquals(204, answer.statusCode());
        assertEquals(0, received.poll().requestBody().length);
    }

    @Test
    void requestsBeyondTheServersConcurrentStreamLimitWaitInTheClientInsteadOfFailing() throws Exception {
        Http2TestServer server = server(4, exchange -> {
            Thread.sleep(30);
            exchange.respond(200, new byte[0]);
        });
        Http2PostTransport transport = transport(1, GENEROUS);

        List<CompletableFuture<PostAnswer>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(transport.post(0, post(server.uri("/w/" + i))));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertAll(
                () -> assertTrue(answers.stream().allMatch(answer -> answer.join().statusCode() == 200)),
                () -> assertEquals(List.of(50), server.requestsPerConnection(), "one connection carried them all"),
                () -> assertTrue(server.mostRequestsHeldAtOnce() <= 4,
                        "never more than 4 open at once: " + server.mostRequestsHeldAtOnce()),
                () -> assertTrue(server.mostRequestsHeldAtOnce() >= 2,
                        "but several: " + server.mostRequestsHeldAtOnce()));
    }

    @Test
    void requestsAreSpreadOverTheConnectionsByTheCallersIndex() throws Exception {
        Http2TestServer server = server(Http2TestServer.DEFAULT_MAX_CONCURRENT_STREAMS,
                exchange -> exchange.respond(200, new byte[0]));
        Http2PostTransport transport = transport(3, GENEROUS);

        List<CompletableFuture<PostAnswer>> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            answers.add(transport.post(i, post(server.uri("/w/a"))));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);

        assertEquals(List.of(10, 10, 10), server.requestsPerConnection());
    }

    @Test
    void aRequestNotAnsweredInTimeIsATimeoutAndGivesItsStreamBack() throws Exception {
        Http2TestServer server = server(1, exchange -> {
            if (!exchange.path().startsWith("/hang")) {
                exchange.respond(200, new byte[0]);
            }
        });
        Duration timeout = Duration.ofMillis(300);
        Http2PostTransport transport = transport(1, timeout);

        long start = System.nanoTime();
        CompletableFuture<PostAnswer> hanging = transport.post(0, post(server.uri("/hang")));
        // the server allows one stream, held by the hanging request: this one cannot start before its timeout
        CompletableFuture<PostAnswer> queued = transport.post(0, post(server.uri("/ok-but-queued")));
        Throwable hangingFailure = failureOf(hanging);
        Throwable queuedFailure = failureOf(queued);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        PostAnswer afterwards = transport.post(0, post(server.uri("/ok"))).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);

        assertAll(
                () -> assertInstanceOf(HttpTimeoutException.class, hangingFailure),
                () -> assertInstanceOf(HttpTimeoutException.class, queuedFailure),
                () -> assertTrue(elapsedMillis >= 250 && elapsedMillis < 5_000, elapsedMillis + " ms"),
                () -> assertEquals(200, afterwards.statusCode(), "the reset stream freed the only slot"),
                () -> assertEquals(List.of(2), server.requestsPerConnection(), "the queued one was never sent"));
    }

    @Test
    void aClosedPortIsAConnectException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        Throwable failure = failureOf(transport(1, GENEROUS).post(0,
                post(URI.create("https://127.0.0.1:" + closedPort + "/w/a"))));

        assertEquals(ConnectException.class, failure.getClass(), failure.toString());
    }

    @Test
    void aServerThatDoesNotChooseHttp2IsATransportErrorSayingSo() throws Exception {
        try (FakeWnsBroker http11Only = FakeWnsBroker.start(loopback)) {
            Throwable failure = failureOf(transport(1, GENEROUS).post(0, post(http11Only.channelUri("a"))));

            assertInstanceOf(IOException.class, failure);
            assertTrue(failure.getMessage().contains("ALPN") && failure.getMessage().contains("--client jdk"),
                    failure.getMessage());
        }
    }

    @Test
    void aCertificateNotNamingTheHostIsRefusedUnlessTheHostNameCheckIsSkipped() throws Exception {
        Http2TestServer misnamed = Http2TestServer.start(otherName, 8, 4, exchange -> exchange.respond(200, new byte[0]));
        toClose.add(misnamed);

        Throwable refused = failureOf(transport(otherName, HostnameVerification.VERIFY, 1, GENEROUS)
                .post(0, post(misnamed.uri("/w/a"))));
        PostAnswer accepted = transport(otherName, HostnameVerification.SKIP_INSECURE_TEST_ONLY, 1, GENEROUS)
                .post(0, post(misnamed.uri("/w/a"))).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        Throwable untrusted = failureOf(transport(loopback, HostnameVerification.SKIP_INSECURE_TEST_ONLY, 1, GENEROUS)
                .post(0, post(misnamed.uri("/w/a"))));

        assertAll(
                () -> assertInstanceOf(SSLHandshakeException.class, refused, refused.toString()),
                () -> assertEquals(200, accepted.statusCode()),
                () -> assertInstanceOf(SSLHandshakeException.class, untrusted, "only the pinned PEM is trusted"));
    }

    @Test
    void closingFailsWhatIsInFlightAndEndsTheEventLoopThreads() throws Exception {
        Http2TestServer server = server(8, exchange -> { });
        Http2PostTransport transport = new Http2PostTransport(
                PinnedTrust.sslContext(loopback.pem(), HostnameVerification.VERIFY), 2, Duration.ofSeconds(30));
        CompletableFuture<PostAnswer> inFlight = transport.post(0, post(server.uri("/hang")));
        waitUntil(() -> server.mostRequestsHeldAtOnce() == 1);

        long start = System.nanoTime();
        transport.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertAll(
                () -> assertTrue(inFlight.isCompletedExceptionally(), "failed, not left hanging"),
                () -> assertTrue(closeMillis < 5_000, closeMillis + " ms"),
                () -> assertFalse(eventLoopThreadsAlive(), "no event-loop thread left"),
                () -> assertTrue(transport.post(1, post(server.uri("/w/a"))).isCompletedExceptionally(),
                        "a closed client refuses at once"));
    }

    /** Whether any of the Netty client's event-loop threads is still alive (none should be after a run). */
    static boolean eventLoopThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.isAlive() && thread.getName().startsWith(Http2PostTransport.THREAD_NAME_PREFIX));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.sleep(10);
        }
    }
}
