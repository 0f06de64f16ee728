package io.wakeline.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@link SimulatorMain} was asked to do, parsed from its flags and environment. */
sealed interface SimulatorCommandLine {

    String FLEET_SECRET_ENV = "WAKELINE_FLEET_SECRET";

    String USAGE = """
            Usage: wakeline-simulator --port PORT [options]

            Simulates many Wakeline devices, each with one device link over TCP, from one selector thread.

              --host HOST                      broker address (default 127.0.0.1)
              --port PORT                      broker device-link port (required)
              --devices N                      number of devices (default 1)
              --prefix P                       device ids are P + index (default dev-)
              --first-index I                  index of the first device (default 0)
              --fleet-secret-hex HEX           fleet secret; or set WAKELINE_FLEET_SECRET (hex)
              --apps A,B                       app ids (package SIDs) to request a channel for (default none)
              --source-addresses IP,IP         local addresses to connect from, round-robin (default: OS choice)
              --connect-rate N                 connection attempts per second, at most (default 1000)
              --backoff-min-millis MS          first reconnect delay ceiling (default 1000)
              --backoff-max-millis MS          reconnect delay cap (default 60000)
              --channel-file PATH              append every issued channel as a JSON line (truncated at start)
              --duration-seconds S             stop after S seconds; 0 runs until Ctrl-C (default 0)
              --summary-interval-seconds S     print a summary line every S seconds (default 5)
              --help                           this text

            A process may hold about 19,500 sockets here: run several simulators (with --first-index and
            --source-addresses 127.0.0.2,...) for larger fleets.
            """;

    Set<String> FLAGS = Set.of("--host", "--port", "--devices", "--prefix", "--first-index", "--fleet-secret-hex",
            "--apps", "--source-addresses", "--connect-rate", "--backoff-min-millis", "--backoff-max-millis",
            "--channel-file", "--duration-seconds", "--summary-interval-seconds");

    /** Simulate with {@code config}; stop after {@code duration} unless it is zero. */
    record Run(SimulatorConfig config, Duration duration, Duration summaryInterval) implements SimulatorCommandLine {
    }

    record ShowHelp() implements SimulatorCommandLine {
    }

    record Invalid(String problem) implements SimulatorCommandLine {
    }

    static SimulatorCommandLine parse(List<String> args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                return new ShowHelp();
            }
            String name = arg;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                value = null;
            }
            if (!FLAGS.contains(name)) {
                return new Invalid("unknown option: " + arg);
            }
            if (value == null) {
                return new Invalid("missing value for " + name);
            }
            values.put(name, value);
        }
        try {
            return run(values, env);
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    private static Run run(Map<String, String> values, Map<String, String> env) {
        String secretHex = values.getOrDefault("--fleet-secret-hex", env.get(FLEET_SECRET_ENV));
        if (secretHex == null || secretHex.isBlank()) {
            throw new IllegalArgumentException("a fleet secret is required: --fleet-secret-hex or " + FLEET_SECRET_ENV);
        }
        if (!values.containsKey("--port")) {
            throw new IllegalArgumentException("--port is required");
        }
        SimulatorConfig.Builder config = SimulatorConfig.builder()
                .host(values.getOrDefault("--host", "127.0.0.1"))
                .port(integer(values, "--port", 0))
                .deviceCount(integer(values, "--devices", 1))
                .deviceIdPrefix(values.getOrDefault("--prefix", "dev-"))
                .firstIndex(integer(values, "--first-index", 0))
                .fleetSecret(HexFormat.of().parseHex(secretHex.trim()))
                .appIds(list(values.get("--apps")))
                .sourceAddresses(list(values.get("--source-addresses")))
                .connectRatePerSecond(integer(values, "--connect-rate", 1_000))
                .reconnectBackoff(Duration.ofMillis(integer(values, "--backoff-min-millis", 1_000)),
                        Duration.ofMillis(integer(values, "--backoff-max-millis", 60_000)));
        if (values.containsKey("--channel-file")) {
            config.channelFile(Path.of(values.get("--channel-file")));
        }
        int durationSeconds = integer(values, "--duration-seconds", 0);
        int intervalSeconds = integer(values, "--summary-interval-seconds", 5);
        if (durationSeconds < 0 || intervalSeconds < 1) {
            throw new IllegalArgumentException("--duration-seconds must be >= 0 and --summary-interval-seconds >= 1");
        }
        return new Run(config.build(), Duration.ofSeconds(durationSeconds), Duration.ofSeconds(intervalSeconds));
    }

    private static int integer(Map<String, String> values, String flag, int defaultValue) {
        String value = values.get(flag);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number: " + value);
        }
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
