package io.wakeline.loadtest;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the command line into a run, a request for help, or a rejection saying what is wrong. */
public final class LoadTestArguments {

    /** Read when {@code --client-secret} is absent, so the secret need not appear in the process list. */
    public static final String CLIENT_SECRET_ENV = "WAKELINE_CLIENT_SECRET";

    private static final String REDACTED = "<redacted>";
    private static final String SECRET_FLAG = "--client-secret";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** The outcome of parsing. */
    public sealed interface Parsed {
    }

    public record Run(LoadTestConfig config, Optional<Path> reportJson) implements Parsed {
    }

    public record ShowHelp() implements Parsed {
    }

    public record Rejected(String reason) implements Parsed {
    }

    public static final String USAGE = """
            Usage: load-test --channels FILE --trust-pem PATH [options]

            Drives a Wakeline broker's WNS-compatible API with raw notifications at a fixed,
            open-loop rate and reports counts and latency (from each send's intended time).
            With --scenario control it sends guaranteed control messages instead and follows
            each one's receipts (accepted, delivered, acked) on the app's GET /events stream.

            Required:
              --channels FILE            channel file from the device simulator (JSON lines)
              --trust-pem PATH           PEM with the broker's certificate (<data-dir>/tls/broker-cert.pem);
                                         only these certificates are trusted
              --client-secret SECRET     app client secret; default: environment WAKELINE_CLIENT_SECRET

            Options:
              --scenario raw|control     raw WNS notifications to the channels (default), or control
                                         messages to the "kind":"control" URIs of the channel file
              --ttl-seconds N            control scenario: X-Wakeline-TTL of each message (default 60)
              --app-id SID               drive only this app's channels (e.g. ms-app://S-1-15-2-1);
                                         default: the single app in the channel file
              --token-url URL            default: first channel URI's origin + /accesstoken.srf
              --rate N                   notifications per second, open loop (default 100)
              --duration-seconds N       measured phase length (default 10)
              --warmup-seconds N         unmeasured phase before it (default 0)
              --payload-bytes N          raw payload size, >= 16 (default 100); bytes 0-7 sequence,
                                         8-15 intended send time in epoch ns, then 'a'..'z' filler
              --client jdk|netty         HTTP client for the sends (default netty): netty is Netty's HTTP/2
                                         client, HTTP/2 only (a server that does not choose h2 by ALPN
                                         gives transport errors), much cheaper in CPU per request; jdk is
                                         java.net.http.HttpClient. HTTP/1.1 runs always use the JDK client,
                                         and so do the token request and the control scenario's GET /events
              --connections N            connections used round-robin (default 1): N HTTP/2 connections
                                         per origin; with the JDK client N HttpClients, each holding one
                                         HTTP/2 connection, or one socket per outstanding HTTP/1.1 request
              --http-version 2|1.1       preferred HTTP version (default 2, via ALPN; the JDK client falls
                                         back to 1.1); 1.1 means the JDK client
              --http2, --http1.1         shorthands for --http-version
              --max-in-flight N          outstanding sends bound (default 256); a send due at the bound
                                         is counted as skipped, never queued. The netty client queues
                                         streams beyond the broker's max concurrent streams per connection
                                         (within their timeout); with --client jdk over HTTP/2 keep it at
                                         most connections x that limit: the JDK client fails excess streams
              --request-status           add X-WNS-RequestForStatus: true
              --request-timeout-seconds N  per request (default 10)
              --drain-seconds N          wait for outstanding answers after the last send (default 10)
              --report-json FILE         also write the report as JSON
              --insecure                 TEST ONLY: accept the pinned certificate under any host name
                                         (it is still the only certificate trusted)
              -h, --help                 this text

            Exit status: 0 run reported, 1 run could not start, 2 bad arguments,
            3 run reported but the JSON report could not be written.
            """;

    private LoadTestArguments() {
    }

    public static Parsed parse(List<String> args, Map<String, String> environment) {
        try {
            return parseOrThrow(args, environment);
        } catch (IllegalArgumentException e) {
            return new Rejected(e.getMessage());
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

    private static Parsed parseOrThrow(List<String> args, Map<String, String> environment) {
        LoadTestConfig.Builder config = LoadTestConfig.builder().commandLine(redacted(args));
        Optional<Path> reportJson = Optional.empty();
        boolean secretGiven = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String flag = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                flag = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            // Flags without a value.
            switch (flag) {
                case "-h", "--help" -> {
                    return new ShowHelp();
                }
                case "--http2" -> {
                    config.httpVersion(HttpClient.Version.HTTP_2);
                    continue;
                }
                case "--http1.1" -> {
                    config.httpVersion(HttpClient.Version.HTTP_1_1);
                    continue;
                }
                case "--request-status" -> {
                    config.requestForStatus(true);
                    continue;
                }
                case "--insecure" -> {
                    config.hostnameVerification(HostnameVerification.SKIP_INSECURE_TEST_ONLY);
                    continue;
                }
                default -> {
                    // takes a value, below
                }
            }
            String value;
            if (inlineValue != null) {
                value = inlineValue;
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            switch (flag) {
                case "--channels" -> config.channelsFile(Path.of(value));
                case "--app-id" -> config.appId(value);
                case "--client-secret" -> {
                    config.clientSecret(value);
                    secretGiven = true;
                }
                case "--token-url" -> config.tokenUri(uri(flag, value));
                case "--trust-pem" -> config.trustPem(Path.of(value));
                case "--rate" -> config.ratePerSecond(number(flag, value));
                case "--duration-seconds" -> config.duration(seconds(flag, value));
                case "--warmup-seconds" -> config.warmup(seconds(flag, value));
                case "--payload-bytes" -> config.payloadBytes(integer(flag, value));
                case "--connections" -> config.connections(integer(flag, value));
                case "--http-version" -> config.httpVersion(httpVersion(value));
                case "--max-in-flight" -> config.maxInFlight(integer(flag, value));
                case "--request-timeout-seconds" -> config.requestTimeout(seconds(flag, value));
                case "--drain-seconds" -> config.drainTimeout(seconds(flag, value));
                case "--report-json" -> reportJson = Optional.of(Path.of(value));
                case "--scenario" -> config.scenario(scenario(value));
                case "--ttl-seconds" -> config.controlTtl(seconds(flag, value));
                case "--client" -> config.client(client(value));
                default -> throw new IllegalArgumentException("unknown option " + flag + " (see --help)");
            }
        }
        if (!secretGiven) {
            String fromEnvironment = environment.get(CLIENT_SECRET_ENV);
            if (fromEnvironment == null || fromEnvironment.isEmpty()) {
                throw new IllegalArgumentException("client secret is required: --client-secret or " + CLIENT_SECRET_ENV);
            }
            config.clientSecret(fromEnvironment);
        }
        return new Run(config.build(), reportJson);
    }

    private static LoadTestConfig.Scenario scenario(String value) {
        return switch (value) {
            case "raw" -> LoadTestConfig.Scenario.RAW;
            case "control" -> LoadTestConfig.Scenario.CONTROL;
            default -> throw new IllegalArgumentException("--scenario must be raw or control, got " + value);
        };
    }

    private static ClientKind client(String value) {
        for (ClientKind kind : ClientKind.values()) {
            if (kind.flagValue().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--client must be jdk or netty, got " + value);
    }

    private static HttpClient.Version httpVersion(String value) {
        return switch (value) {
            case "2", "h2", "HTTP_2" -> HttpClient.Version.HTTP_2;
            case "1.1", "http/1.1", "HTTP_1_1" -> HttpClient.Version.HTTP_1_1;
            default -> throw new IllegalArgumentException("--http-version must be 2 or 1.1, got " + value);
        };
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

    private static double number(String flag, String value) {
        try {
            double number = Double.parseDouble(value);
            if (!Double.isFinite(number)) {
                throw new IllegalArgumentException(flag + " must be a finite number, got " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got " + value, e);
        }
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be an integer, got " + value, e);
        }
    }

    /** Fractions allowed (e.g. 0.5), so short runs can be expressed too. */
    private static Duration seconds(String flag, String value) {
        double seconds = number(flag, value);
        if (seconds < 0 || seconds > LoadTestConfig.MAX_RUN.toSeconds()) {
            throw new IllegalArgumentException(flag + " must be in [0, " + LoadTestConfig.MAX_RUN.toSeconds()
                    + "], got " + value);
        }
        return Duration.ofNanos(Math.round(seconds * NANOS_PER_SECOND));
    }
}
