package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wakeline.simulator.ChannelRecord;
import io.wakeline.simulator.DeviceModelMode;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.SimulatorConfig;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard (k8s/monitoring/wakeline-dashboard.json) against a real node after a little traffic:
 * every metric a panel's PromQL reads is exported, the figures the traffic should move did move, and every
 * Wakeline metric the node exports is listed in docs/operations.md.
 */
class DashboardMetricsTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)", Pattern.MULTILINE);

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dataDir;

    @Test
    void everyMetricTheDashboardQueriesIsExportedByANodeUnderTraffic() throws Exception {
        int management = TestNodeConfig.freePort();
        List<String> controlMessages = new CopyOnWriteArrayList<>();
        try (BrokerNode node = BrokerNode.start(TestNodeConfig.node(dataDir, TestNodeConfig.freePort(),
                TestNodeConfig.freePort(), 0, "akka.management.http.port = " + management + "\n"
                        + "wakeline.metrics.sharding-poll-interval = 200ms"));
             DeviceSimulator simulator = DeviceSimulator.start(SimulatorConfig.builder()
                     .host("127.0.0.1").port(node.deviceGatewayPort()).deviceCount(1).deviceIdPrefix("dash-")
                     .fleetSecret(FLEET_SECRET).appIds(List.of(APP_A)).deviceModel(DeviceModelMode.OFF)
                     .listener(ControlChannelSetup.collectingControlMessages(controlMessages))
                     .build())) {
            assertTrue(simulator.awaitChannels(Duration.ofSeconds(30)), () -> simulator.stats().summaryLine());
            AppServerClient appServer = new AppServerClient(node.appGatewayUrl(), node.certificatePem());
            String token = appServer.token(APP_A, SECRET_A);
            ChannelRecord channel = simulator.channels().get(0);
            assertEquals(200, appServer.sendRaw(channel.channelUri(), token, "raw".getBytes(StandardCharsets.UTF_8)).statusCode());
            String controlUri = ControlChannelSetup.create(simulator, channel.deviceId(), APP_A, "dash");
            HttpResponse<String> sent = appServer.http().send(HttpRequest.newBuilder(URI.create(controlUri))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("control")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, sent.statusCode(), sent::body);
            try (Socket garbage = new Socket("127.0.0.1", node.deviceGatewayPort())) {
                OutputStream out = garbage.getOutputStream();
                out.write(new byte[] {0, 0, 0, 3, 1, 2, 3}); // a frame that is no Envelope: the handshake fails
                out.flush();
                garbage.getInputStream().readAllBytes(); // the gateway closes the link
            }
            System.gc(); // the GC pause timer appears with the first collection after the registry was made

            awaitUntil(Duration.ofSeconds(15), () -> sample(scrapeOrEmpty(management),
                    "wakeline_control_accept_to_ack_seconds_count", "") >= 1);
            String exposition = scrape(management);

            Set<String> exported = familiesOf(exposition);
            Set<String> queried = dashboardMetrics();
            assertTrue(queried.size() >= 25, () -> "the PromQL parser found too little: " + queried);
            Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(exported);
            assertTrue(missing.isEmpty(), () -> "queried by the dashboard but not exported: " + missing);

            assertTrue(sample(exposition, "wakeline_pushes_total", "outcome=\"received\",path=\"wns_raw\"") >= 1, exposition);
            assertTrue(sample(exposition, "wakeline_pushes_total", "outcome=\"accepted\",path=\"control\"") >= 1, exposition);
            assertTrue(sample(exposition, "wakeline_control_receipts_total", "fate=\"acked\"") >= 1, exposition);
            assertTrue(sample(exposition, "wakeline_push_outcomes_total", "outcome=\"delivered\",push=\"wns_raw\"") >= 1,
                    exposition);
            assertTrue(sample(exposition, "wakeline_device_handshakes_completed_total", "") >= 1, exposition);
            assertTrue(sample(exposition, "wakeline_device_handshake_failures_total", "reason=\"malformed_frame\"")
                    + sample(exposition, "wakeline_device_handshake_failures_total", "reason=\"frame_too_large\"") >= 1,
                    exposition);
            assertTrue(sample(exposition, "wakeline_journal_write_seconds_count", "outcome=\"ok\"") >= 1, exposition);
            assertTrue(sample(exposition, "wakeline_sharding_entities", "type=\"Device\"") >= 1, exposition);
            assertTrue(sample(exposition, "wakeline_device_links_attached", "") >= 1, exposition);
            assertEquals(List.of(channel.deviceId() + ":control"), controlMessages);

            String operations = Files.readString(REPO.resolve("docs/operations.md"));
            Set<String> undocumented = new TreeSet<>();
            for (String family : exported) {
                if (family.startsWith("wakeline_") && !operations.contains("`" + baseName(family))) {
                    undocumented.add(family);
                }
            }
            assertTrue(undocumented.isEmpty(), () -> "exported but not listed in docs/operations.md: " + undocumented);
        }
    }

    /** The metric names in every panel's PromQL and the template variable's query. */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(REPO.resolve("k8s/monitoring/wakeline-dashboard.json").toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(expr -> expressions.add(expr.asText()));
        dashboard.findValues("definition").forEach(definition -> expressions.add(definition.asText()));
        Set<String> names = new TreeSet<>();
        expressions.forEach(expr -> names.addAll(metricNames(expr)));
        return names;
    }

    /**
     * Metric names in a PromQL expression: what is left once label matchers, grouping clauses, ranges, strings,
     * function calls and keywords are taken out.
     */
    static Set<String> metricNames(String promql) {
        String rest = promql.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher token = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(rest);
        while (token.find()) {
            if (token.group(2) == null && !PROMQL_WORDS.contains(token.group(1).toLowerCase())) {
                names.add(token.group(1));
            }
        }
        names.remove("instance"); // label_values(metric, instance): the second argument is a label
        return names;
    }

    private static Set<String> familiesOf(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher sample = SAMPLE.matcher(exposition);
        while (sample.find()) {
            names.add(sample.group(1));
        }
        return names;
    }

    /** The family name without the suffixes Prometheus adds to counters and histograms. */
    private static String baseName(String family) {
        return family.replaceAll("_(total|bucket|count|sum|max)$", "");
    }

    private static double sample(String exposition, String name, String labels) {
        Matcher sample = SAMPLE.matcher(exposition);
        double total = 0;
        while (sample.find()) {
            String sampleLabels = sample.group(2) == null ? "" : sample.group(2);
            if (sample.group(1).equals(name) && sampleLabels.contains(labels)) {
                total += Double.parseDouble(sample.group(3));
            }
        }
        return total;
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    private static String scrapeOrEmpty(int port) {
        try {
            return scrape(port);
        } catch (Exception | AssertionError e) {
            return "";
        }
    }
}
