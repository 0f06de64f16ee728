package io.wakeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wakeline.report.HtmlReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlLoadTestTest {

    @TempDir
    static Path certificates;

    @TempDir
    Path work;

    private static TestCertificate certificate;
    private FakeControlBroker broker;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.generate(certificates, TestCertificate.LOOPBACK_NAMES);
    }

    /** Over HTTP/2, like the broker: the sends go through the default Netty client, token and events through the JDK's. */
    @BeforeEach
    void startBroker() throws Exception {
        broker = FakeControlBroker.startHttp2(certificate);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    private LoadTestConfig.Builder config() throws Exception {
        return config(broker);
    }

    private LoadTestConfig.Builder config(FakeControlBroker target) throws Exception {
        return LoadTestConfig.builder()
                .scenario(LoadTestConfig.Scenario.CONTROL)
                .channelsFile(target.writeChannelFile(work, 3))
                .clientSecret(FakeControlBroker.CLIENT_SECRET)
                .trustPem(certificate.pem())
                .ratePerSecond(200)
                .duration(Duration.ofSeconds(1))
                .drainTimeout(Duration.ofSeconds(10));
    }

    @Test
    void everyAcceptedMessageIsFollowedToItsAckOnTheEventStream() throws Exception {
        broker.recordForeignReceipt();
        ControlReport report = ControlLoadTest.run(config().build());

        assertEquals(200, report.sent());
        assertEquals(200, report.accepted());
        assertEquals(200, report.delivered());
        assertEquals(200, report.acked());
        assertEquals(0, report.unsettled());
        assertEquals(new TreeMap<>(Map.of(201, 200L)), report.httpStatusCounts());
        assertEquals(1, report.unmatchedReceipts(), "the earlier run's receipt matches nothing of this run");
        assertEquals(200, report.acceptLatency().count());
        assertEquals(200, report.ackLatency().count());
        assertTrue(report.ackLatency().p50Ms() >= report.acceptLatency().p50Ms() - 5,
                "acks come after accepts: " + report.toTable());
        assertTrue(report.acceptedPerSecond() > 150 && report.ackedPerSecond() > 100, report.toTable());
        assertEquals(200, broker.clientIds().stream().distinct().count(), "every message id is unique");
        assertEquals("netty", report.settings().client());
        assertFalse(Http2PostTransportTest.eventLoopThreadsAlive(), "the run closed its client");
    }

    @Test
    void theJdkClientDrivesAnHttp11BrokerToo() throws Exception {
        try (FakeControlBroker http11Only = FakeControlBroker.start(certificate)) {
            ControlReport report = ControlLoadTest.run(config(http11Only).client(ClientKind.JDK).ratePerSecond(100)
                    .build());

            assertEquals(100, report.acked());
            assertEquals(new TreeMap<>(Map.of(201, 100L)), report.httpStatusCounts());
            assertEquals(0, report.transportErrors());
            assertEquals("jdk", report.settings().client());
        }
    }

    @Test
    void aCutEventStreamIsResumedWithLastEventIdWithoutLosingOrRepeatingReceipts() throws Exception {
        broker.dropFirstStreamAfter(100);
        ControlReport report = ControlLoadTest.run(config().build());

        assertEquals(200, report.acked());
        assertEquals(200, report.delivered());
        assertEquals(0, report.unmatchedReceipts());
        assertTrue(report.streamReconnects() >= 1);
        assertEquals("", broker.lastEventIds().get(0));
        assertEquals("100", broker.lastEventIds().get(1));
    }

    @Test
    void theControlScenarioIsChosenOnTheCommandLineAndReportsJson() throws Exception {
        Path json = work.resolve("report.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = LoadTestMain.execute(List.of("control",
                        "--channels", broker.writeChannelFile(work, 2).toString(), "--trust-pem", certificate.pem().toString(),
                        "--rate", "50", "--duration-seconds", "1", "--warmup-seconds", "0", "--ttl-seconds", "30",
                        "--interval-seconds", "0.25", "--report-json", json.toString()),
                Map.of(LoadTestCommandLine.CLIENT_SECRET_ENV, FakeControlBroker.CLIENT_SECRET),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertEquals(LoadTestMain.EXIT_REPORTED, status);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("ack latency ms"));
        assertTrue(printed.contains("accepted") && printed.contains("/s  delivered"), "progress lines: " + printed);
        ControlReport report = ControlReport.fromJson(Files.readString(json));
        assertEquals(50, report.acked());
        SortedMap<Integer, Long> statuses = report.httpStatusCounts();
        assertEquals(50L, statuses.get(201));

        // the HTML report beside the JSON: receipts per interval add up to the run's, three latency curves
        JsonNode data = new ObjectMapper().readTree(HtmlReport.extractDataJson(Files.readString(work.resolve("report.html"))));
        JsonNode rates = chart(data, "Rates");
        assertEquals(50.0, total(rates, "acked/s"), 0.5);
        assertEquals(50.0, total(rates, "accepted (2xx)/s"), 0.5);
        assertEquals(3, data.path("distributions").get(0).path("curves").size());
        assertTrue(data.path("distributions").get(0).path("curves").get(2).path("values").size() > 3);
        assertEquals(50, data.path("details").path("acked").asLong());
    }

    static JsonNode chart(JsonNode data, String title) {
        for (JsonNode chart : data.path("timeSeries")) {
            if (chart.path("title").asText().equals(title)) {
                return chart;
            }
        }
        throw new AssertionError("no chart " + title + " in " + data.path("timeSeries"));
    }

    /** Sum over intervals of rate x interval length: the events a series stands for. */
    static double total(JsonNode chart, String label) {
        JsonNode seconds = chart.path("seconds");
        for (JsonNode series : chart.path("series")) {
            if (series.path("label").asText().equals(label)) {
                double total = 0;
                double previous = Double.NaN;
                for (int i = 0; i < seconds.size(); i++) {
                    double end = seconds.get(i).asDouble();
                    // the first interval starts at the run's start, which is 0 s here (no warm-up)
                    double length = Double.isNaN(previous) ? end : end - previous;
                    total += series.path("values").get(i).asDouble() * length;
                    previous = end;
                }
                return total;
            }
        }
        throw new AssertionError("no series " + label + " in " + chart);
    }
}
