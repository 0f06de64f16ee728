package io.wakeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wakeline.report.HtmlReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadTestMainTest {

    @TempDir
    Path work;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(Map<String, String> environment, String... args) throws InterruptedException {
        return LoadTestMain.execute(List.of(args), environment,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static LoadTestCommandLine.Parsed parse(String... args) {
        return LoadTestCommandLine.parse(List.of(args), Map.of());
    }

    @Test
    void helpPrintsUsageWithDefaultsAndExitsZero() throws Exception {
        int status = execute(Map.of(), "raw", "--help");

        String usage = out.toString(StandardCharsets.UTF_8);
        assertAll(
                () -> assertEquals(LoadTestMain.EXIT_REPORTED, status),
                () -> assertTrue(usage.startsWith("Usage: wakeline-load-test raw"), usage),
                () -> assertTrue(usage.contains("--max-in-flight") && usage.contains("--trust-pem")
                        && usage.contains("--insecure") && usage.contains("--client=netty|jdk")),
                () -> assertTrue(usage.contains("(default: 256)") && usage.contains("(default: 5)"), "defaults shown"),
                () -> assertTrue(usage.contains("Exit status:") && usage.contains("3   run reported") || usage.contains("a report file")),
                () -> assertEquals("", err.toString(StandardCharsets.UTF_8)));

        out.reset();
        assertEquals(LoadTestMain.EXIT_REPORTED, execute(Map.of(), "--help"));
        String top = out.toString(StandardCharsets.UTF_8);
        assertTrue(top.startsWith("Usage: wakeline-load-test") && top.contains("raw") && top.contains("control"), top);
    }

    @Test
    void unknownOptionIsRejectedWithExitTwo() throws Exception {
        int status = execute(Map.of(), "raw", "--channels", "c.jsonl", "--frobnicate", "3");

        assertEquals(LoadTestMain.EXIT_BAD_ARGUMENTS, status);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("Unknown option") && message.contains("'--frobnicate'"), message);
        assertTrue(message.contains("Try `wakeline-load-test raw --help`"), message);
    }

    @Test
    void theScenarioComesFirstAndTheOldSpellingSaysSo() throws Exception {
        int status = execute(Map.of(), "--scenario", "control", "--channels", "c.jsonl");

        assertEquals(LoadTestMain.EXIT_BAD_ARGUMENTS, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the scenario comes first"), err.toString(StandardCharsets.UTF_8));
        assertInstanceOf(LoadTestCommandLine.Rejected.class, parse());
    }

    @Test
    void clientSecretComesFromTheEnvironmentWhenNotGiven() {
        List<String> args = List.of("raw", "--channels", "c.jsonl", "--trust-pem", "cert.pem");

        LoadTestCommandLine.Parsed without = LoadTestCommandLine.parse(args, Map.of());
        LoadTestCommandLine.Parsed with = LoadTestCommandLine.parse(args,
                Map.of(LoadTestCommandLine.CLIENT_SECRET_ENV, "from-env"));

        LoadTestCommandLine.Rejected rejected = assertInstanceOf(LoadTestCommandLine.Rejected.class, without);
        assertTrue(rejected.reason().contains(LoadTestCommandLine.CLIENT_SECRET_ENV), rejected.reason());
        assertEquals("from-env", assertInstanceOf(LoadTestCommandLine.Run.class, with).config().clientSecret());
    }

    @Test
    void flagsSetTheConfigurationAndDefaultsFillTheRest() {
        LoadTestCommandLine.Parsed parsed = parse("raw", "--channels=c.jsonl", "--trust-pem", "p.pem",
                "--client-secret", "s3cret", "--rate", "250", "--duration-seconds", "0.5", "--http1.1",
                "--max-in-flight", "7", "--request-status", "--report-json", "r.json", "--client", "jdk");

        LoadTestCommandLine.Run run = assertInstanceOf(LoadTestCommandLine.Run.class, parsed);
        LoadTestConfig config = run.config();
        assertAll(
                () -> assertEquals(Path.of("c.jsonl"), config.channelsFile()),
                () -> assertEquals(250, config.ratePerSecond()),
                () -> assertEquals(Duration.ofMillis(500), config.duration()),
                () -> assertEquals(Duration.ofSeconds(5), config.warmup(), "a warm-up unless told otherwise"),
                () -> assertEquals(HttpClient.Version.HTTP_1_1, config.httpVersion()),
                () -> assertEquals(7, config.maxInFlight()),
                () -> assertEquals(ClientKind.JDK, config.client()),
                () -> assertTrue(config.requestForStatus()),
                () -> assertEquals(LoadTestConfig.Scenario.RAW, config.scenario()),
                () -> assertEquals(LoadTestConfig.DEFAULT_PAYLOAD_BYTES, config.payloadBytes()),
                () -> assertEquals(HostnameVerification.VERIFY, config.hostnameVerification()),
                () -> assertEquals(ClientKind.NETTY, LoadTestConfig.builder().channelsFile(Path.of("c"))
                        .clientSecret("s").trustPem(Path.of("p")).build().client(), "netty by default"),
                () -> assertEquals(Path.of("r.json"), run.reportJson()),
                () -> assertEquals(Path.of("r.html"), run.reportHtml(), "the HTML report goes beside the JSON"),
                () -> assertEquals(Duration.ofSeconds(1), run.interval()),
                () -> assertTrue(run.progress()),
                () -> assertFalse(config.commandLine().contains("s3cret"), "secret redacted from the echoed command line"),
                () -> assertFalse(config.toString().contains("s3cret")));

        LoadTestCommandLine.Run control = assertInstanceOf(LoadTestCommandLine.Run.class, parse("control", "--channels",
                "c.jsonl", "--trust-pem", "p.pem", "--client-secret", "s", "--ttl-seconds", "30", "--no-progress"));
        assertEquals(LoadTestConfig.Scenario.CONTROL, control.config().scenario());
        assertEquals(Duration.ofSeconds(30), control.config().controlTtl());
        assertFalse(control.progress());
        assertNull(control.reportJson());
        assertTrue(control.reportHtml().getFileName().toString().matches("load-test-control-\\d{8}-\\d{6}\\.html"),
                control.reportHtml().toString());
    }

    @Test
    void optionsMayComeFromAnArgumentFile() throws Exception {
        Path file = work.resolve("run.args");
        Files.writeString(file, "# a saved run\n--channels c.jsonl --trust-pem p.pem\n--rate 42 --client-secret s\n");

        LoadTestCommandLine.Run run = assertInstanceOf(LoadTestCommandLine.Run.class, parse("raw", "@" + file, "--rate", "43"));

        assertEquals(Path.of("c.jsonl"), run.config().channelsFile());
        assertEquals(43, run.config().ratePerSecond(), "later options win");
    }

    @Test
    void valuesThatWouldMakeTheRunMeaninglessAreRejectedNamingTheOption() {
        List<String> base = List.of("raw", "--channels", "c.jsonl", "--trust-pem", "p.pem", "--client-secret", "s");
        Map<List<String>, String> cases = Map.of(
                List.of("--rate", "0"), "--rate",
                List.of("--payload-bytes", "15"), "--payload-bytes",
                List.of("--max-in-flight", "0"), "--max-in-flight",
                List.of("--duration-seconds", "0"), "--duration-seconds",
                List.of("--http-version", "3"), "--http-version",
                List.of("--rate"), "--rate",
                List.of("--client", "curl"), "--client",
                List.of("--rate", "fast"), "--rate",
                List.of("--interval-seconds", "0"), "--interval-seconds");
        cases.forEach((bad, option) -> {
            List<String> args = new ArrayList<>(base);
            args.addAll(bad);
            LoadTestCommandLine.Rejected rejected = assertInstanceOf(LoadTestCommandLine.Rejected.class,
                    LoadTestCommandLine.parse(args, Map.of()), bad.toString());
            assertTrue(rejected.reason().contains(option), bad + ": " + rejected.reason());
        });
        LoadTestCommandLine.Rejected missing = assertInstanceOf(LoadTestCommandLine.Rejected.class, parse("raw", "--rate", "5"));
        assertTrue(missing.reason().contains("--channels") && missing.reason().contains("--trust-pem"), missing.reason());
    }

    @Test
    void commandLineRunPrintsProgressAndTheTableAndWritesJsonAndHtmlReports() throws Exception {
        TestCertificate certificate = TestCertificate.generate(work, TestCertificate.LOOPBACK_NAMES);
        try (FakeWnsBroker broker = FakeWnsBroker.startHttp2(certificate)) {
            Path channels = broker.writeChannelFile(work, "a", "b");
            Path json = work.resolve("report.json");

            int status = execute(Map.of(LoadTestCommandLine.CLIENT_SECRET_ENV, FakeWnsBroker.CLIENT_SECRET),
                    "raw", "--channels", channels.toString(), "--app-id", FakeWnsBroker.APP_ID,
                    "--trust-pem", certificate.pem().toString(), "--rate", "40", "--duration-seconds", "1",
                    "--warmup-seconds", "0.5", "--interval-seconds", "0.25", "--report-json", json.toString());

            LoadReport report = LoadReport.fromJson(Files.readString(json));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertAll(
                    () -> assertEquals(LoadTestMain.EXIT_REPORTED, status, err.toString(StandardCharsets.UTF_8)),
                    () -> assertTrue(printed.contains("achieved send rate")),
                    () -> assertTrue(printed.contains("warm-up") && printed.contains("measured") && printed.contains("p99"),
                            "a progress line per interval: " + printed),
                    () -> assertFalse(printed.contains("\r"), "plain lines when not a terminal"),
                    () -> assertEquals(broker.served().size(), report.sent() + report.warmupSent()),
                    () -> assertEquals(Map.of(200, report.sent()), report.httpStatusCounts()),
                    () -> assertEquals("raw", report.commandLine().get(0)),
                    () -> assertEquals(0.5, report.settings().warmupSeconds()),
                    () -> assertEquals(40, report.targetRatePerSecond()),
                    () -> assertTrue(report.latency().distribution().size() > 3, "the percentile curve is in the JSON"));

            String html = Files.readString(work.resolve("report.html"));
            assertTrue(printed.contains("HTML report") && printed.contains(work.resolve("report.html").toString()));
            JsonNode data = new ObjectMapper().readTree(HtmlReport.extractDataJson(html));
            JsonNode rates = ControlLoadTestTest.chart(data, "Rates");
            assertTrue(rates.path("seconds").get(0).asDouble() < 0, "warm-up intervals are drawn before 0 s");
            assertEquals(broker.served().size(), totalFromWarmupStart(rates, "sent/s", 0.5), 0.5);
            JsonNode latency = data.path("timeSeries").get(0);
            assertEquals(List.of("p50", "p90", "p99", "max"), labels(latency));
            assertEquals("warm-up ends", latency.path("markers").get(0).path("label").asText());
            JsonNode curve = data.path("distributions").get(0).path("curves").get(0);
            assertTrue(curve.path("percentiles").size() > 3);
            assertEquals(report.sent(), data.path("details").path("sent").asLong());
            assertTrue(data.path("notes").get(0).asText().contains("warm-up of 0.500 s (" + report.warmupSent() + " sends)"),
                    data.path("notes").toString());
            assertTrue(html.contains("var uPlot=") && !html.contains("<script src"), "self-contained");
        }
    }

    @Test
    void onATerminalTheProgressLineIsRewrittenInPlace() {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        RunProgress progress = new RunProgress(new PrintStream(screen, true, StandardCharsets.UTF_8), true,
                Duration.ofSeconds(10), sample -> "figures");
        Timeline.Sample sample = new Timeline.Sample(1.0, 1.0, false, new long[LoadTest.Count.values().length],
                new Timeline.Latency[] {new Timeline.Latency(0, 0, 0, 0, 0)}, 0);

        progress.print(sample);
        progress.print(sample);
        progress.finish();

        String shown = screen.toString(StandardCharsets.UTF_8);
        assertEquals(2, shown.split("\r", -1).length - 1, shown);
        assertTrue(shown.endsWith("figures\u001b[K" + System.lineSeparator()), shown);
    }

    @Test
    void runThatCannotStartExitsOne() throws Exception {
        int status = execute(Map.of(), "raw", "--channels", work.resolve("missing.jsonl").toString(),
                "--trust-pem", "p.pem", "--client-secret", "s", "--duration-seconds", "1");

        assertEquals(LoadTestMain.EXIT_ABORTED, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read channel file"));
    }

    private static List<String> labels(JsonNode chart) {
        List<String> labels = new ArrayList<>();
        chart.path("series").forEach(series -> labels.add(series.path("label").asText()));
        return labels;
    }

    /** Events a rate series stands for, the first interval starting at -warmup. */
    private static double totalFromWarmupStart(JsonNode chart, String label, double warmupSeconds) {
        JsonNode seconds = chart.path("seconds");
        for (JsonNode series : chart.path("series")) {
            if (series.path("label").asText().equals(label)) {
                double total = 0;
                double previous = -warmupSeconds;
                for (int i = 0; i < seconds.size(); i++) {
                    double end = seconds.get(i).asDouble();
                    total += series.path("values").get(i).asDouble() * (end - previous);
                    previous = end;
                }
                return total;
            }
        }
        throw new AssertionError("no series " + label);
    }
}
