package io.wakeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wakeline.loadtest.FakeWnsBroker.ChannelAnswer;
import io.wakeline.loadtest.FakeWnsBroker.ServedSend;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadTestTest {

    @TempDir
    static Path certificates;

    @TempDir
    Path work;

    private static TestCertificate loopbackCertificate;
    private static TestCertificate otherNameCertificate;

    private FakeWnsBroker broker;

    @BeforeAll
    static void makeCertificates() throws Exception {
        loopbackCertificate = TestCertificate.generate(
                Files.createDirectory(certificates.resolve("loopback")), TestCertificate.LOOPBACK_NAMES);
        otherNameCertificate = TestCertificate.generate(
                Files.createDirectory(certificates.resolve("other")), "dns:broker.elsewhere.invalid");
    }

    /** Over HTTP/2, like the broker, so the default (Netty) client is what these tests drive. */
    @BeforeEach
    void startBroker() throws Exception {
        broker = FakeWnsBroker.startHttp2(loopbackCertificate);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    private LoadTestConfig.Builder config(String... channels) throws Exception {
        return config(broker, channels);
    }

    private LoadTestConfig.Builder config(FakeWnsBroker target, String... channels) throws Exception {
        return LoadTestConfig.builder()
                .channelsFile(target.writeChannelFile(work, channels))
                .appId(FakeWnsBroker.APP_ID)
                .clientSecret(FakeWnsBroker.CLIENT_SECRET)
                .trustPem(loopbackCertificate.pem())
                .drainTimeout(Duration.ofSeconds(5));
    }

    @Test
    void sendsAtTheTargetRateAndCountsExactlyWhatTheBrokerServed() throws Exception {
        LoadReport report = LoadTest.run(config("a", "b")
                .ratePerSecond(200).duration(Duration.ofSeconds(2)).build());

        List<ServedSend> served = broker.served();
        assertAll(
                () -> assertEquals(served.size(), report.sent(), "sent == requests the broker served"),
                () -> assertEquals(report.sent(), report.completed()),
                () -> assertEquals(Map.of(200, report.sent()), report.httpStatusCounts()),
                () -> assertEquals(new WnsStatusCounts(report.sent(), 0, 0, 0), report.wnsStatusCounts()),
                () -> assertEquals(0, report.skipped() + report.transportErrors() + report.unfinished()),
                () -> assertEquals(report.completed(), report.latency().count()),
                () -> assertTrue(report.latency().p50Ms() > 0 && report.latency().maxMs() >= report.latency().p999Ms()),
                () -> assertTrue(Math.abs(report.achievedSendRatePerSecond() - 200) <= 200 * 0.3,
                        "achieved " + report.achievedSendRatePerSecond() + " msg/s for a target of 200"),
                () -> assertEquals(400, report.sent(), 400 * 0.3),
                () -> assertEquals(0, report.tokenRefreshes()),
                () -> assertEquals(1, broker.tokenRequests()),
                () -> assertEquals(Map.of(HttpClient.Version.HTTP_2, report.sent()), report.httpVersionCounts()),
                () -> assertEquals("netty", report.settings().client()),
                () -> assertFalse(Http2PostTransportTest.eventLoopThreadsAlive(), "the run closed its client"),
                () -> assertEquals(Map.of("a", (long) served.size() / 2, "b", (long) served.size() / 2),
                        served.stream().collect(Collectors.groupingBy(ServedSend::channel, Collectors.counting())),
                        "round-robin over the app's channels, none of the other app's"));
    }

    @Test
    void unauthorizedAnswerRenewsTheTokenOnceAndResendsTheNotification() throws Exception {
        broker.expireFirstTokenAfter(3);

        // Slow enough that the renewal is done long before the next send is due.
        LoadReport report = LoadTest.run(config("a").ratePerSecond(10).duration(Duration.ofSeconds(1)).build());

        List<ServedSend> served = broker.served();
        List<ServedSend> rejected = served.stream().filter(send -> send.status() == 401).toList();
        PayloadLayout.Stamp rejectedStamp = PayloadLayout.decodeStamp(rejected.get(0).payload());
        List<ServedSend> resent = served.stream()
                .filter(send -> PayloadLayout.decodeStamp(send.payload()).equals(rejectedStamp))
                .filter(send -> send.status() == 200)
                .toList();
        assertAll(
                () -> assertEquals(1, rejected.size()),
                () -> assertEquals(1, report.tokenRefreshes()),
                () -> assertEquals(2, broker.tokenRequests()),
                () -> assertEquals(1, report.retriesAfterUnauthorized()),
                () -> assertEquals(Map.of(200, report.sent()), report.httpStatusCounts(),
                        "the resent notification's final answer is counted, not the 401"),
                () -> assertEquals(report.sent() + 1, served.size()),
                () -> assertEquals(1, resent.size(), "the rejected notification is resent once"),
                () -> assertEquals("token-2", resent.get(0).bearerToken(), "the resend carries the new token"));
    }

    @Test
    void concurrentUnauthorizedAnswersShareOneTokenRenewal() throws Exception {
        broker.expireFirstTokenAfter(2);
        broker.delayEachAnswer(Duration.ofMillis(200));

        LoadReport report = LoadTest.run(config("a").ratePerSecond(100).duration(Duration.ofMillis(500)).build());

        long unauthorized = broker.servedByStatus().getOrDefault(401, 0L);
        assertAll(
                () -> assertTrue(unauthorized > 5, "several sends held the expired token at once: " + unauthorized),
                () -> assertEquals(1, report.tokenRefreshes()),
                () -> assertEquals(unauthorized, report.retriesAfterUnauthorized()),
                () -> assertEquals(Map.of(200, report.sent()), report.httpStatusCounts()));
    }

    @Test
    void answersAreCountedPerHttpStatusAndPerWnsStatus() throws Exception {
        broker.answer("dropping", ChannelAnswer.DROPPED);
        broker.answer("throttled", ChannelAnswer.CHANNEL_THROTTLED_LEGACY_HEADER_ONLY);
        broker.answer("unknown", ChannelAnswer.NOT_FOUND);

        LoadReport report = LoadTest.run(config("receiving", "dropping", "throttled", "unknown")
                .ratePerSecond(100).duration(Duration.ofSeconds(1)).build());

        Map<String, Long> byChannel = broker.served().stream()
                .collect(Collectors.groupingBy(ServedSend::channel, Collectors.counting()));
        assertAll(
                () -> assertEquals(new WnsStatusCounts(byChannel.get("receiving"), byChannel.get("dropping"),
                        byChannel.get("throttled"), 0), report.wnsStatusCounts()),
                () -> assertEquals(Map.of(200, byChannel.get("receiving") + byChannel.get("dropping")
                        + byChannel.get("throttled"), 404, byChannel.get("unknown")), report.httpStatusCounts()),
                () -> assertEquals(broker.servedByStatus(), report.httpStatusCounts()));
    }

    @Test
    void oversizedPayloadIsCountedAsRequestEntityTooLarge() throws Exception {
        LoadReport report = LoadTest.run(config("a").payloadBytes(FakeWnsBroker.MAX_PAYLOAD_BYTES + 1)
                .ratePerSecond(50).duration(Duration.ofMillis(500)).build());

        assertAll(
                () -> assertTrue(report.sent() > 0),
                () -> assertEquals(Map.of(413, report.sent()), report.httpStatusCounts()),
                () -> assertEquals(new WnsStatusCounts(0, 0, 0, 0), report.wnsStatusCounts()));
    }

    @Test
    void unreachableChannelIsCountedAsTransportErrorWithItsCause() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path channels = broker.writeChannelFile(work, "a");
        Files.writeString(channels, "{\"deviceId\":\"dev-9\",\"appId\":\"" + FakeWnsBroker.APP_ID
                + "\",\"channelUri\":\"https://127.0.0.1:" + closedPort + "/w/gone\"}\n", StandardOpenOption.APPEND);

        LoadReport report = LoadTest.run(config("unused").channelsFile(channels)
                .ratePerSecond(20).duration(Duration.ofMillis(500)).build());

        assertAll(
                () -> assertEquals(report.sent(), report.completed() + report.transportErrors()),
                () -> assertEquals(report.sent() / 2, report.transportErrors(), 1),
                () -> assertEquals(broker.served().size(), report.completed()),
                () -> assertEquals(report.transportErrors(), report.transportErrorCauses().values().stream()
                        .mapToLong(Long::longValue).sum()),
                () -> assertTrue(report.transportErrorCauses().keySet().stream()
                        .allMatch(cause -> cause.startsWith("ConnectException")), report.transportErrorCauses()::toString));
    }

    @Test
    void sendsDueAtTheInFlightBoundAreSkippedNotQueued() throws Exception {
        broker.delayEachAnswer(Duration.ofMillis(400));

        LoadReport report = LoadTest.run(config("a").maxInFlight(4)
                .ratePerSecond(100).duration(Duration.ofSeconds(1)).build());

        assertAll(
                () -> assertTrue(report.skipped() > 50, "skipped " + report.skipped()),
                () -> assertEquals(100, report.sent() + report.skipped(), 100 * 0.3,
                        "every due send is either sent or skipped"),
                () -> assertEquals(broker.served().size(), report.sent(), "skipped sends never reach the broker"),
                () -> assertEquals(report.sent(), report.completed()),
                () -> assertTrue(report.latency().p50Ms() >= 400, "latency includes the broker's delay"));
    }

    @Test
    void warmupSendsAreCountedApartFromTheMeasuredPhase() throws Exception {
        LoadReport report = LoadTest.run(config("a").warmup(Duration.ofMillis(500))
                .ratePerSecond(100).duration(Duration.ofMillis(500)).build());

        assertAll(
                () -> assertEquals(50, report.warmupSent(), 50 * 0.3),
                () -> assertEquals(50, report.sent(), 50 * 0.3),
                () -> assertEquals(broker.served().size(), report.warmupSent() + report.sent()),
                () -> assertEquals(report.sent(), report.latency().count()),
                () -> assertEquals(Map.of(200, report.sent()), report.httpStatusCounts()));
    }

    @Test
    void everyPayloadCarriesItsSequenceAndIntendedSendTime() throws Exception {
        long before = System.currentTimeMillis();
        LoadReport report = LoadTest.run(config("a").payloadBytes(64).requestForStatus(true)
                .ratePerSecond(50).duration(Duration.ofMillis(500)).build());
        long after = System.currentTimeMillis();

        List<ServedSend> served = broker.served();
        List<PayloadLayout.Stamp> stamps = served.stream()
                .map(send -> PayloadLayout.decodeStamp(send.payload()))
                .sorted((x, y) -> Long.compare(x.sequence(), y.sequence()))
                .toList();
        assertAll(
                () -> assertEquals(report.sent(), served.size()),
                () -> assertTrue(served.stream().allMatch(send -> send.payload().length == 64)),
                () -> assertTrue(served.stream().allMatch(send -> PayloadLayout.fillerIntact(send.payload()))),
                () -> assertEquals(LongStream.range(0, served.size()).boxed().toList(),
                        stamps.stream().map(PayloadLayout.Stamp::sequence).toList(), "unique, gap-free sequence"),
                () -> assertEquals(20_000_000L, stamps.get(1).intendedSendEpochNanos()
                        - stamps.get(0).intendedSendEpochNanos(), 1, "50/s is one every 20 ms"),
                () -> assertTrue(stamps.get(0).intendedSendEpochNanos() / 1_000_000 >= before - 1
                        && stamps.get(stamps.size() - 1).intendedSendEpochNanos() / 1_000_000 <= after),
                () -> assertTrue(served.stream().allMatch(send -> "true".equals(send.headers().get("x-wns-requestforstatus")))),
                () -> assertTrue(served.stream().allMatch(send -> "wns/raw".equals(send.headers().get("x-wns-type")))));
    }

    @Test
    void http11OverSeveralConnectionsDeliversEverySendWithTheJdkClient() throws Exception {
        try (FakeWnsBroker http11Only = FakeWnsBroker.start(loopbackCertificate)) {
            LoadReport report = LoadTest.run(config(http11Only, "a", "b", "c")
                    .httpVersion(HttpClient.Version.HTTP_1_1).connections(3)
                    .ratePerSecond(100).duration(Duration.ofMillis(500)).build());

            assertAll(
                    () -> assertEquals(http11Only.served().size(), report.sent()),
                    () -> assertEquals(Map.of(HttpClient.Version.HTTP_1_1, report.sent()), report.httpVersionCounts()),
                    () -> assertEquals("HTTP_1_1", report.settings().httpVersion()),
                    () -> assertEquals("jdk", report.settings().client(), "HTTP/1.1 always uses the JDK client"));
        }
    }

    @Test
    void theJdkClientIsStillSelectableForHttp2() throws Exception {
        LoadReport report = LoadTest.run(config("a", "b").client(ClientKind.JDK).connections(2)
                .ratePerSecond(100).duration(Duration.ofMillis(500)).build());

        assertAll(
                () -> assertEquals(broker.served().size(), report.sent()),
                () -> assertEquals(Map.of(200, report.sent()), report.httpStatusCounts()),
                () -> assertEquals(new WnsStatusCounts(report.sent(), 0, 0, 0), report.wnsStatusCounts()),
                () -> assertEquals(Map.of(HttpClient.Version.HTTP_2, report.sent()), report.httpVersionCounts()),
                () -> assertEquals("jdk", report.settings().client()));
    }

    @Test
    void answersLaterThanTheRequestTimeoutAreTransportErrorsThatGiveTheirInFlightSlotBack() throws Exception {
        broker.delayEachAnswer(Duration.ofSeconds(3));

        // 10/s held 0.5 s each needs about 5 slots of 8; without the slots coming back 12 of 20 would be skipped
        LoadReport report = LoadTest.run(config("a").requestTimeout(Duration.ofMillis(500)).maxInFlight(8)
                .ratePerSecond(10).duration(Duration.ofSeconds(2)).build());

        assertAll(
                () -> assertEquals(20, report.sent(), 3),
                () -> assertEquals(0, report.skipped(), "every timed-out send gave its slot back"),
                () -> assertEquals(report.sent(), report.transportErrors()),
                () -> assertEquals(0, report.completed() + report.unfinished()),
                () -> assertEquals(Set.of("HttpTimeoutException: request timed out"),
                        report.transportErrorCauses().keySet()));
    }

    @Test
    void certificateNotNamingTheDialledHostIsRefusedUnlessHostnameCheckIsSkipped() throws Exception {
        try (FakeWnsBroker misnamed = FakeWnsBroker.startHttp2(otherNameCertificate)) {
            LoadTestConfig.Builder config = LoadTestConfig.builder()
                    .channelsFile(misnamed.writeChannelFile(work, "a"))
                    .appId(FakeWnsBroker.APP_ID)
                    .clientSecret(FakeWnsBroker.CLIENT_SECRET)
                    .trustPem(otherNameCertificate.pem())
                    .ratePerSecond(20).duration(Duration.ofMillis(300));

            LoadTestAbortedException refused = assertThrows(LoadTestAbortedException.class,
                    () -> LoadTest.run(config.build()));
            LoadReport skipped = LoadTest.run(
                    config.hostnameVerification(HostnameVerification.SKIP_INSECURE_TEST_ONLY).build());

            assertAll(
                    () -> assertTrue(refused.getMessage().contains("no access token"), refused.getMessage()),
                    () -> assertEquals(misnamed.served().size(), skipped.sent()),
                    () -> assertEquals(Map.of(200, skipped.sent()), skipped.httpStatusCounts()));
        }
    }

    @Test
    void certificateOtherThanThePinnedOneIsRefusedEvenWhenHostnameCheckIsSkipped() throws Exception {
        LoadTestConfig config = config("a").trustPem(otherNameCertificate.pem())
                .hostnameVerification(HostnameVerification.SKIP_INSECURE_TEST_ONLY)
                .ratePerSecond(20).duration(Duration.ofMillis(300)).build();

        assertThrows(LoadTestAbortedException.class, () -> LoadTest.run(config));
        assertEquals(0, broker.tokenRequests());
    }

    @Test
    void wrongClientSecretAbortsTheRunWithTheOAuthError() throws Exception {
        LoadTestConfig config = config("a").clientSecret("not-the-secret").duration(Duration.ofMillis(300)).build();

        LoadTestAbortedException aborted = assertThrows(LoadTestAbortedException.class, () -> LoadTest.run(config));

        assertTrue(aborted.getMessage().contains("400") && aborted.getMessage().contains("invalid_client"),
                aborted.getMessage());
        assertEquals(0, broker.served().size());
    }

    @Test
    void appIdAndTokenUrlDefaultToTheChannelFile() throws Exception {
        Path channels = broker.writeChannelFile(work, "a");
        Files.write(channels, Files.readAllLines(channels).subList(0, 1));

        LoadReport report = LoadTest.run(LoadTestConfig.builder().channelsFile(channels)
                .clientSecret(FakeWnsBroker.CLIENT_SECRET).trustPem(loopbackCertificate.pem())
                .ratePerSecond(20).duration(Duration.ofMillis(300)).build());

        URI channel = broker.channelUri("a");
        assertAll(
                () -> assertEquals(FakeWnsBroker.APP_ID, report.settings().appId()),
                () -> assertEquals("https://127.0.0.1:" + channel.getPort() + "/accesstoken.srf",
                        report.settings().tokenUrl()),
                () -> assertEquals(1, broker.tokenRequests()));
    }

    @Test
    void channelFileWithSeveralAppsNeedsAnAppId() throws Exception {
        LoadTestConfig config = LoadTestConfig.builder().channelsFile(broker.writeChannelFile(work, "a"))
                .clientSecret(FakeWnsBroker.CLIENT_SECRET).trustPem(loopbackCertificate.pem()).build();

        LoadTestAbortedException aborted = assertThrows(LoadTestAbortedException.class, () -> LoadTest.run(config));

        assertTrue(aborted.getMessage().contains("--app-id"), aborted.getMessage());
    }

    @Test
    void jsonReportParsesBackToTheSameReport() throws Exception {
        LoadReport report = LoadTest.run(config("a").commandLine(List.of("--rate", "20"))
                .ratePerSecond(20).duration(Duration.ofMillis(300)).build());
        Path file = work.resolve("report.json");

        report.writeJson(file);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertAll(
                () -> assertEquals(report, LoadReport.fromJson(Files.readString(file))),
                () -> assertEquals(report.sent(), json.get("sent").asLong()),
                () -> assertEquals(report.sent(), json.get("httpStatusCounts").get("200").asLong()),
                () -> assertEquals(report.sent(), json.get("wnsStatusCounts").get("received").asLong()),
                () -> assertTrue(json.get("latency").has("p999Ms")),
                () -> assertEquals("--rate", json.get("commandLine").get(0).asText()),
                () -> assertTrue(json.get("settings").has("maxInFlight")),
                () -> assertTrue(!json.toString().contains(FakeWnsBroker.CLIENT_SECRET), "no secret in the report"),
                () -> assertTrue(report.toTable().contains("achieved send rate")));
    }
}
