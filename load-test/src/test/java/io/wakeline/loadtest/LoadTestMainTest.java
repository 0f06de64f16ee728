package io.wakeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        int status = execute(Map.of(), "--help");

        String usage = out.toString(StandardCharsets.UTF_8);
        assertAll(
                () -> assertEquals(LoadTestMain.EXIT_REPORTED, status),
                () -> assertTrue(usage.startsWith("Usage: load-test")),
                () -> assertTrue(usage.contains("--max-in-flight") && usage.contains("--trust-pem")
                        && usage.contains("--insecure") && usage.contains("--client jdk|netty")),
                () -> assertEquals("", err.toString(StandardCharsets.UTF_8)));
    }

    @Test
    void unknownOptionIsRejectedWithExitTwo() throws Exception {
        int status = execute(Map.of(), "--channels", "c.jsonl", "--frobnicate", "3");

        assertEquals(LoadTestMain.EXIT_BAD_ARGUMENTS, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --frobnicate"));
    }

    @Test
    void clientSecretComesFromTheEnvironmentWhenNotGiven() {
        List<String> args = List.of("--channels", "c.jsonl", "--trust-pem", "cert.pem");

        LoadTestArguments.Parsed without = LoadTestArguments.parse(args, Map.of());
        LoadTestArguments.Parsed with = LoadTestArguments.parse(args,
                Map.of(LoadTestArguments.CLIENT_SECRET_ENV, "from-env"));

        assertInstanceOf(LoadTestArguments.Rejected.class, without);
        assertEquals("from-env", assertInstanceOf(LoadTestArguments.Run.class, with).config().clientSecret());
    }

    @Test
    void flagsSetTheConfigurationAndDefaultsFillTheRest() {
        LoadTestArguments.Parsed parsed = LoadTestArguments.parse(List.of("--channels=c.jsonl", "--trust-pem", "p.pem",
                "--client-secret", "s3cret", "--rate", "250", "--duration-seconds", "0.5", "--http1.1",
                "--max-in-flight", "7", "--request-status", "--report-json", "r.json", "--client", "jdk"), Map.of());

        LoadTestArguments.Run run = assertInstanceOf(LoadTestArguments.Run.class, parsed);
        LoadTestConfig config = run.config();
        assertAll(
                () -> assertEquals(Path.of("c.jsonl"), config.channelsFile()),
                () -> assertEquals(250, config.ratePerSecond()),
                () -> assertEquals(Duration.ofMillis(500), config.duration()),
                () -> assertEquals(HttpClient.Version.HTTP_1_1, config.httpVersion()),
                () -> assertEquals(7, config.maxInFlight()),
                () -> assertEquals(ClientKind.JDK, config.client()),
                () -> assertTrue(config.requestForStatus()),
                () -> assertEquals(LoadTestConfig.DEFAULT_PAYLOAD_BYTES, config.payloadBytes()),
                () -> assertEquals(HostnameVerification.VERIFY, config.hostnameVerification()),
                () -> assertEquals(ClientKind.NETTY, LoadTestConfig.builder().channelsFile(Path.of("c"))
                        .clientSecret("s").trustPem(Path.of("p")).build().client(), "netty by default"),
                () -> assertEquals(Path.of("r.json"), run.reportJson().orElseThrow()),
                () -> assertFalse(config.commandLine().contains("s3cret"), "secret redacted from the echoed command line"),
                () -> assertFalse(config.toString().contains("s3cret")));
    }

    @Test
    void valuesThatWouldMakeTheRunMeaninglessAreRejected() {
        List<String> base = List.of("--channels", "c.jsonl", "--trust-pem", "p.pem", "--client-secret", "s");
        for (List<String> bad : List.of(List.of("--rate", "0"), List.of("--payload-bytes", "15"),
                List.of("--max-in-flight", "0"), List.of("--duration-seconds", "0"), List.of("--http-version", "3"),
                List.of("--rate"), List.of("--client", "curl"))) {
            List<String> args = new ArrayList<>(base);
            args.addAll(bad);
            assertInstanceOf(LoadTestArguments.Rejected.class, LoadTestArguments.parse(args, Map.of()), bad.toString());
        }
    }

    @Test
    void commandLineRunPrintsTheTableAndWritesTheJsonReport() throws Exception {
        TestCertificate certificate = TestCertificate.generate(work, TestCertificate.LOOPBACK_NAMES);
        try (FakeWnsBroker broker = FakeWnsBroker.startHttp2(certificate)) {
            Path channels = broker.writeChannelFile(work, "a", "b");
            Path json = work.resolve("report.json");

            int status = execute(Map.of(LoadTestArguments.CLIENT_SECRET_ENV, FakeWnsBroker.CLIENT_SECRET),
                    "--channels", channels.toString(), "--app-id", FakeWnsBroker.APP_ID,
                    "--trust-pem", certificate.pem().toString(), "--rate", "40", "--duration-seconds", "0.5",
                    "--report-json", json.toString());

            LoadReport report = LoadReport.fromJson(Files.readString(json));
            assertAll(
                    () -> assertEquals(LoadTestMain.EXIT_REPORTED, status, err.toString(StandardCharsets.UTF_8)),
                    () -> assertTrue(out.toString(StandardCharsets.UTF_8).contains("achieved send rate")),
                    () -> assertEquals(broker.served().size(), report.sent()),
                    () -> assertEquals(Map.of(200, report.sent()), report.httpStatusCounts()),
                    () -> assertEquals("--channels", report.commandLine().get(0)),
                    () -> assertEquals(40, report.targetRatePerSecond()));
        }
    }

    @Test
    void runThatCannotStartExitsOne() throws Exception {
        int status = execute(Map.of(), "--channels", work.resolve("missing.jsonl").toString(),
                "--trust-pem", "p.pem", "--client-secret", "s", "--duration-seconds", "1");

        assertEquals(LoadTestMain.EXIT_ABORTED, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read channel file"));
    }
}
