package io.wakeline.loadtest;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The load test's command line (picocli): {@code load-test raw [options]} or {@code load-test control [options]},
 * parsed into a run, a request for help, or a rejection that says what to change. Parsing never exits and never
 * prints, so tests and {@link LoadTestMain} share it.
 */
public final class LoadTestCommandLine {

    /** Read when {@code --client-secret} is absent, so the secret need not appear in the process list. */
    public static final String CLIENT_SECRET_ENV = "WAKELINE_CLIENT_SECRET";
    /** The command line's warm-up: enough for the sender's JIT, TLS and HTTP/2 set-up to stay out of the figures. */
    public static final String DEFAULT_WARMUP_SECONDS = "5";

    private static final String REDACTED = "<redacted>";
    private static final String SECRET_FLAG = "--client-secret";
    private static final double NANOS_PER_SECOND = 1e9;
    private static final int USAGE_WIDTH = 100;

    /** The outcome of parsing. */
    public sealed interface Parsed {
    }

    /**
     * A run to do.
     *
     * @param reportJson where to write the JSON report; null: none
     * @param reportHtml where to write the HTML report (always written)
     * @param interval   length of one sample: one progress line and one point of the report's charts
     * @param progress   whether to print the progress lines
     */
    public record Run(LoadTestConfig config, Path reportJson, Path reportHtml, Duration interval, boolean progress)
            implements Parsed {
    }

    public record ShowHelp(String usage) implements Parsed {
    }

    /** {@code reason} says what is wrong and what to do; {@code helpCommand} is the command whose --help helps. */
    public record Rejected(String reason, String helpCommand) implements Parsed {
    }

    private LoadTestCommandLine() {
    }

    public static Parsed parse(List<String> args, Map<String, String> environment) {
        CommandLine root = commandLine();
        if (args.isEmpty()) {
            return new Rejected("choose a scenario: `wakeline-load-test raw ...` (raw WNS notifications) or "
                    + "`wakeline-load-test control ...` (guaranteed control messages)", "wakeline-load-test");
        }
        String first = args.get(0);
        if (first.startsWith("-") && !first.equals("-h") && !first.equals("--help")) {
            return new Rejected("the scenario comes first, then its options: `wakeline-load-test raw "
                    + String.join(" ", args) + "` (or `wakeline-load-test control ...`; --scenario is gone)",
                    "wakeline-load-test");
        }
        CommandLine.ParseResult result;
        try {
            result = root.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return new Rejected(e.getMessage(), e.getCommandLine().getCommandSpec().qualifiedName());
        }
        if (root.isUsageHelpRequested()) {
            return new ShowHelp(root.getUsageMessage());
        }
        CommandLine.ParseResult sub = result.subcommand();
        if (sub == null) {
            return new Rejected("choose a scenario: raw or control", "wakeline-load-test");
        }
        CommandLine scenario = sub.commandSpec().commandLine();
        if (scenario.isUsageHelpRequested()) {
            return new ShowHelp(scenario.getUsageMessage());
        }
        ScenarioCommand command = scenario.getCommand();
        try {
            return command.run(args, environment);
        } catch (IllegalArgumentException e) {
            return new Rejected(e.getMessage(), scenario.getCommandSpec().qualifiedName());
        }
    }

    /** The arguments with the client secret's value replaced, fit for reports and logs. */
    public static List<String> redacted(List<String> args) {
        List<String> shown = new ArrayList<>(args.size());
        boolean nextIsSecret = false;
        for (String arg : args) {
            if (nextIsSecret) {
                shown.add(REDACTED);
                nextIsSecret = false;
            } else if (arg.startsWith(SECRET_FLAG + "=")) {
                shown.add(SECRET_FLAG + "=" + REDACTED);
            } else {
                shown.add(arg);
                nextIsSecret = arg.equals(SECRET_FLAG);
            }
        }
        return List.copyOf(shown);
    }

    static CommandLine commandLine() {
        CommandLine root = new CommandLine(new Root());
        root.addSubcommand(new CommandLine(new RawCommand()));
        root.addSubcommand(new CommandLine(new ControlCommand()));
        root.setUsageHelpWidth(USAGE_WIDTH);
        // an option given twice takes the last value, so a saved @argfile can be overridden after it
        root.setOverwrittenOptionsAllowed(true);
        return root;
    }

    @Command(name = "wakeline-load-test", sortOptions = false,
            description = {"Drives a Wakeline broker's app-server API at a fixed, open-loop rate and reports counts and",
                    "latency (from each send's intended time), live while it runs and as a table, JSON and one HTML file."},
            footer = {"", "Run `wakeline-load-test raw --help` or `wakeline-load-test control --help` for the options of",
                    "each. Options may also come from a file: `wakeline-load-test raw @run.args` (whitespace-separated,",
                    "# comments)."},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                    "0:run reported",
                    "1:run could not start (channel file, PEM, token, event stream)",
                    "2:bad arguments",
                    "3:run reported, but the JSON or HTML report could not be written"})
    static final class Root {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
        boolean help;
    }

    /** Options every scenario takes. */
    static final class RunOptions {
        @Option(names = "--channels", paramLabel = "FILE",
                description = "required: channel file from the device simulator (JSON lines)")
        Path channels;

        @Option(names = "--trust-pem", paramLabel = "PATH",
                description = "required: PEM with the broker's certificate (<data-dir>/tls/broker-cert.pem); only "
                        + "these certificates are trusted")
        Path trustPem;

        @Option(names = SECRET_FLAG, paramLabel = "SECRET",
                description = "app client secret (default: environment " + CLIENT_SECRET_ENV + ")")
        String clientSecret;

        @Option(names = "--app-id", paramLabel = "SID",
                description = "drive only this app's channels (e.g. ms-app://S-1-15-2-1); default: the single app "
                        + "in the channel file")
        String appId;

        @Option(names = "--token-url", paramLabel = "URL",
                description = "default: first channel URI's origin + /accesstoken.srf")
        String tokenUrl;

        @Option(names = "--rate", paramLabel = "N", defaultValue = "100", description = "sends per second, open "
                + "loop (default: ${DEFAULT-VALUE})")
        double rate;

        @Option(names = "--duration-seconds", paramLabel = "S", defaultValue = "10",
                description = "measured phase length (default: ${DEFAULT-VALUE})")
        double durationSeconds;

        @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = DEFAULT_WARMUP_SECONDS,
                description = "sending before the measured phase, kept out of every figure; the reports say how "
                        + "long it was; 0 for none (default: ${DEFAULT-VALUE})")
        double warmupSeconds;

        @Option(names = "--payload-bytes", paramLabel = "N", defaultValue = "100",
                description = "payload size, >= 16: bytes 0-7 sequence, 8-15 intended send time in epoch ns, then "
                        + "'a'..'z' filler (default: ${DEFAULT-VALUE})")
        int payloadBytes;

        @Option(names = "--client", paramLabel = "netty|jdk", defaultValue = "netty",
                description = "HTTP client for the sends: netty (HTTP/2 only, cheap in CPU) or jdk "
                        + "(java.net.http); HTTP/1.1 always uses jdk, as do the token request and the event stream "
                        + "(default: ${DEFAULT-VALUE})")
        String client;

        @Option(names = "--connections", paramLabel = "N", defaultValue = "1",
                description = "connections used round-robin: N HTTP/2 connections per origin (jdk: N clients, or "
                        + "one socket per outstanding HTTP/1.1 request) (default: ${DEFAULT-VALUE})")
        int connections;

        @Option(names = "--http-version", paramLabel = "2|1.1", defaultValue = "2",
                description = "preferred HTTP version, by ALPN; 1.1 means the jdk client (default: ${DEFAULT-VALUE})")
        String httpVersion;

        @Option(names = "--http2", description = "shorthand for --http-version 2")
        boolean http2;

        @Option(names = "--http1.1", description = "shorthand for --http-version 1.1")
        boolean http11;

        @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "256",
                description = "outstanding sends bound; a send due at the bound is counted as skipped, never "
                        + "queued (default: ${DEFAULT-VALUE})")
        int maxInFlight;

        @Option(names = "--request-timeout-seconds", paramLabel = "S", defaultValue = "10",
                description = "per request (default: ${DEFAULT-VALUE})")
        double requestTimeoutSeconds;

        @Option(names = "--drain-seconds", paramLabel = "S", defaultValue = "10",
                description = "wait for outstanding answers after the last send (default: ${DEFAULT-VALUE})")
        double drainSeconds;

        @Option(names = "--report-json", paramLabel = "FILE", description = "also write the report as JSON")
        Path reportJson;

        @Option(names = "--report-html", paramLabel = "FILE",
                description = "where to write the HTML report (charts, one self-contained file); default: beside "
                        + "--report-json with .html, else load-test-<scenario>-<time>.html here")
        Path reportHtml;

        @Option(names = "--interval-seconds", paramLabel = "S", defaultValue = "1",
                description = "one progress line and one chart point per interval (default: ${DEFAULT-VALUE})")
        double intervalSeconds;

        @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "print a progress line per interval (in place on a terminal); --no-progress: only "
                        + "the final table (default: ${DEFAULT-VALUE})")
        boolean progress;

        @Option(names = "--insecure",
                description = "TEST ONLY: accept the pinned certificate under any host name (it is still the only "
                        + "certificate trusted)")
        boolean insecure;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
        boolean help;

        LoadTestConfig.Builder config(List<String> args, Map<String, String> environment) {
            // checked here rather than by picocli, which would report a missing option before a misspelt one
            List<String> missing = new ArrayList<>();
            if (channels == null) {
                missing.add("--channels FILE (the device simulator's --channel-file)");
            }
            if (trustPem == null) {
                missing.add("--trust-pem PATH (the broker's <data-dir>/tls/broker-cert.pem)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("missing " + String.join(" and ", missing));
            }
            LoadTestConfig.Builder config = LoadTestConfig.builder()
                    .commandLine(redacted(args))
                    .channelsFile(channels)
                    .trustPem(trustPem)
                    .appId(appId)
                    .ratePerSecond(rate)
                    .duration(seconds("--duration-seconds", durationSeconds))
                    .warmup(seconds("--warmup-seconds", warmupSeconds))
                    .payloadBytes(payloadBytes)
                    .client(client(client))
                    .connections(connections)
                    .httpVersion(httpVersion())
                    .maxInFlight(maxInFlight)
                    .requestTimeout(seconds("--request-timeout-seconds", requestTimeoutSeconds))
                    .drainTimeout(seconds("--drain-seconds", drainSeconds));
            if (tokenUrl != null) {
                config.tokenUri(uri("--token-url", tokenUrl));
            }
            if (insecure) {
                config.hostnameVerification(HostnameVerification.SKIP_INSECURE_TEST_ONLY);
            }
            String secret = clientSecret != null ? clientSecret : environment.get(CLIENT_SECRET_ENV);
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("the app's client secret is required: set " + CLIENT_SECRET_ENV
                        + " (keeps it out of the process list) or give " + SECRET_FLAG);
            }
            config.clientSecret(secret);
            return config;
        }

        Run run(LoadTestConfig config, LoadTestConfig.Scenario scenario) {
            if (!(intervalSeconds >= 0.1 && intervalSeconds <= 3600)) {
                throw new IllegalArgumentException("--interval-seconds must be in [0.1, 3600], got " + intervalSeconds);
            }
            Path html = reportHtml;
            if (html == null) {
                html = reportJson != null ? besideJson(reportJson) : Path.of("load-test-"
                        + scenario.name().toLowerCase(Locale.ROOT) + "-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".html");
            }
            return new Run(config, reportJson, html, Duration.ofNanos(Math.round(intervalSeconds * NANOS_PER_SECOND)),
                    progress);
        }

        private HttpClient.Version httpVersion() {
            if (http2 && http11) {
                throw new IllegalArgumentException("--http2 and --http1.1 contradict each other: give one");
            }
            if (http11) {
                return HttpClient.Version.HTTP_1_1;
            }
            if (http2) {
                return HttpClient.Version.HTTP_2;
            }
            return switch (httpVersion) {
                case "2", "h2", "HTTP_2" -> HttpClient.Version.HTTP_2;
                case "1.1", "http/1.1", "HTTP_1_1" -> HttpClient.Version.HTTP_1_1;
                default -> throw new IllegalArgumentException("--http-version must be 2 or 1.1, got " + httpVersion);
            };
        }
    }

    /** {@code r.json} → {@code r.html}; any other name gets {@code .html} appended. */
    static Path besideJson(Path json) {
        String name = json.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(base + ".html");
    }

    /** A scenario subcommand: turns its parsed options into a run. */
    interface ScenarioCommand {
        Run run(List<String> args, Map<String, String> environment);
    }

    @Command(name = "raw", sortOptions = false, abbreviateSynopsis = true,
            description = "Raw WNS notifications (X-WNS-Type: wns/raw) to the channels of the channel file. Latency runs "
                    + "from each send's intended time to its HTTP answer.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:run reported", "1:run could not start", "2:bad arguments", "3:a report file could not be written"})
    static final class RawCommand implements ScenarioCommand {
        @Mixin
        RunOptions options;

        @Option(names = "--request-status", description = "add X-WNS-RequestForStatus: true")
        boolean requestStatus;

        @Override
        public Run run(List<String> args, Map<String, String> environment) {
            LoadTestConfig config = build(options.config(args, environment)
                    .scenario(LoadTestConfig.Scenario.RAW)
                    .requestForStatus(requestStatus));
            return options.run(config, LoadTestConfig.Scenario.RAW);
        }
    }

    @Command(name = "control", sortOptions = false, abbreviateSynopsis = true,
            description = "Guaranteed control messages (POST to the \"kind\":\"control\" URIs of the channel file), each "
                    + "followed to its receipts (accepted, delivered, acked) on the app's GET /events stream.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:run reported", "1:run could not start", "2:bad arguments", "3:a report file could not be written"})
    static final class ControlCommand implements ScenarioCommand {
        @Mixin
        RunOptions options;

        @Option(names = "--ttl-seconds", paramLabel = "S", defaultValue = "60",
                description = "X-Wakeline-TTL of each message (default: ${DEFAULT-VALUE})")
        double ttlSeconds;

        @Override
        public Run run(List<String> args, Map<String, String> environment) {
            LoadTestConfig config = build(options.config(args, environment)
                    .scenario(LoadTestConfig.Scenario.CONTROL)
                    .controlTtl(seconds("--ttl-seconds", ttlSeconds)));
            return options.run(config, LoadTestConfig.Scenario.CONTROL);
        }
    }

    /** The config's own range checks, with the option to change named. */
    private static LoadTestConfig build(LoadTestConfig.Builder builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            for (Map.Entry<String, String> rule : RULE_OPTIONS.entrySet()) {
                if (message.startsWith(rule.getKey())) {
                    throw new IllegalArgumentException(rule.getValue() + ": " + message, e);
                }
            }
            throw e;
        }
    }

    /** How {@link LoadTestConfig}'s messages begin, and the option each is about. */
    private static final Map<String, String> RULE_OPTIONS = Map.of(
            "rate", "--rate",
            "duration", "--duration-seconds",
            "warm-up + duration", "--duration-seconds / --warmup-seconds",
            "payload bytes", "--payload-bytes",
            "connections", "--connections",
            "max in flight", "--max-in-flight",
            "request timeout", "--request-timeout-seconds",
            "drain timeout", "--drain-seconds",
            "control TTL", "--ttl-seconds");

    private static ClientKind client(String value) {
        for (ClientKind kind : ClientKind.values()) {
            if (kind.flagValue().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--client must be netty or jdk, got " + value);
    }

    private static URI uri(String flag, String value) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException(flag + " must be an absolute URL, got " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flag + " is not a URL: " + e.getMessage(), e);
        }
    }

    /** Fractions allowed (e.g. 0.5), so short runs can be expressed too. */
    private static Duration seconds(String flag, double seconds) {
        if (!(seconds >= 0 && seconds <= LoadTestConfig.MAX_RUN.toSeconds())) {
            throw new IllegalArgumentException(flag + " must be in [0, " + LoadTestConfig.MAX_RUN.toSeconds()
                    + "] seconds, got " + seconds);
        }
        return Duration.ofNanos(Math.round(seconds * NANOS_PER_SECOND));
    }
}
