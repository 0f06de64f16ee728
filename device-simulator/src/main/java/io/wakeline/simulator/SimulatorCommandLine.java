package io.wakeline.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** What {@link SimulatorMain} was asked to do, parsed from its flags and environment. */
sealed interface SimulatorCommandLine {

    String FLEET_SECRET_ENV = "WAKELINE_FLEET_SECRET";

    String USAGE = """
            Usage: wakeline-simulator (--port PORT | --gateways HOST:PORT,...) [options]

            Simulates many Wakeline devices, each with one device link over TCP, from one selector thread.

              --host HOST                      broker address (default 127.0.0.1)
              --port PORT                      broker device-link port (required unless --gateways)
              --gateways H:P,H:P,...           several device-link listeners (e.g. one per cluster node)
                                               instead of --host/--port: devices are spread over them and
                                               move to another one after a lost link or a GoAway
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

            Windows device model (off unless --device-model or any flag below is given; see README):
              --device-model[=automatic|off]   devices play the model on their own (default off)
              --seed N                         seed of every per-device draw (default 1)
              --time-scale X                   simulated minutes per real minute (default 1)
              --connected-standby-share S      devices with chipset + network connected standby (default 0.3)
              --chipset-only-share S           devices with chipset-only connected standby (default 0.1)
              --battery-share S                devices on battery rather than mains (default 0.5)
              --power-source-minutes M         power source drawn again every ~M min, 0 never (default 120)
              --active-minutes M               ~M min ACTIVE before standby/sleep, 0 always active (default 30)
              --standby-minutes M              ~M min in connected standby/sleep (default 60)
              --foreground-share S             share of active time an app is in the foreground (default 0.1)
              --suspended-share S              of the rest, share SUSPENDED rather than NOT_RUNNING (default 0.7)
              --app-state-minutes M            app states drawn again every ~M min, 0 never (default 5)
              --lock-screen-share S            apps asking for the lock screen (default 0.4)
              --consent-probability P          user allows the lock-screen prompt (default 0.7)
              --control-channel-share S        lock-screen apps with control channels (default 0.3)
              --control-channels-per-app N     1..5 (default 1)
              --hardware-slot-share S          channels asking for a hardware slot (default 0.5)
              --keep-alive-minutes M           server keep-alive, 15..1439 (default 15)
              --time-trigger-share S           lock-screen apps with a TimeTrigger (default 0.5)
              --maintenance-trigger-share S    apps with a MaintenanceTrigger (default 0.2)
              --trigger-freshness-minutes M    freshness of both triggers, >= 15 (default 15)
              --task-cpu-millis MIN-MAX        CPU a background task reports (default 50-500)
              --task-network-bytes MIN-MAX     network bytes it reports (default 1000-100000)

            A process may hold about 19,500 sockets here: run several simulators (with --first-index and
            --source-addresses 127.0.0.2,...) for larger fleets.
            """;

    /** Flags that shape the device-model population: giving any of them switches the model on. */
    Set<String> POPULATION_FLAGS = Set.of("--time-scale", "--connected-standby-share", "--chipset-only-share",
            "--battery-share", "--power-source-minutes", "--active-minutes", "--standby-minutes", "--foreground-share",
            "--suspended-share", "--app-state-minutes", "--lock-screen-share", "--consent-probability",
            "--control-channel-share", "--control-channels-per-app", "--hardware-slot-share", "--keep-alive-minutes",
            "--time-trigger-share", "--maintenance-trigger-share", "--trigger-freshness-minutes", "--task-cpu-millis",
            "--task-network-bytes");

    Set<String> FLAGS = union(Set.of("--host", "--port", "--gateways", "--devices", "--prefix", "--first-index",
            "--fleet-secret-hex", "--apps", "--source-addresses", "--connect-rate", "--backoff-min-millis",
            "--backoff-max-millis", "--channel-file", "--duration-seconds", "--summary-interval-seconds", "--seed",
            "--device-model"), POPULATION_FLAGS);

    /** Flags that may stand alone, without a value. */
    Set<String> SWITCHES = Set.of("--device-model");

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
            } else if (SWITCHES.contains(arg)) {
                value = "";
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
        if (!values.containsKey("--gateways") && !values.containsKey("--port")) {
            throw new IllegalArgumentException("--port is required (or --gateways HOST:PORT,...)");
        }
        if (values.containsKey("--gateways") && values.containsKey("--port")) {
            throw new IllegalArgumentException("give either --port (with --host) or --gateways, not both");
        }
        if (values.containsKey("--gateways") && values.containsKey("--host")) {
            throw new IllegalArgumentException("--host goes with --port; --gateways names hosts itself");
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
        config.seed(longInteger(values, "--seed", 1));
        config.deviceModel(deviceModel(values));
        config.population(population(values));
        int durationSeconds = integer(values, "--duration-seconds", 0);
        int intervalSeconds = integer(values, "--summary-interval-seconds", 5);
        if (durationSeconds < 0 || intervalSeconds < 1) {
            throw new IllegalArgumentException("--duration-seconds must be >= 0 and --summary-interval-seconds >= 1");
        }
        if (values.containsKey("--gateways")) {
            config.gateways(GatewayAddress.parseList(values.get("--gateways")));
        }
        return new Run(config.build(), Duration.ofSeconds(durationSeconds), Duration.ofSeconds(intervalSeconds));
    }

    /** {@code --device-model} alone or with {@code =automatic}, or any population flag: on; {@code =off}: off. */
    private static DeviceModelMode deviceModel(Map<String, String> values) {
        String value = values.get("--device-model");
        if (value == null) {
            return values.keySet().stream().anyMatch(POPULATION_FLAGS::contains)
                    ? DeviceModelMode.AUTOMATIC : DeviceModelMode.OFF;
        }
        if (value.isEmpty()) {
            return DeviceModelMode.AUTOMATIC;
        }
        try {
            return DeviceModelMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--device-model is automatic or off: " + value);
        }
    }

    private static DevicePopulation population(Map<String, String> values) {
        DevicePopulation d = DevicePopulation.defaults();
        return DevicePopulation.builder()
                .hardware(decimal(values, "--connected-standby-share", d.connectedStandbyShare()),
                        decimal(values, "--chipset-only-share", d.chipsetOnlyShare()))
                .batteryShare(decimal(values, "--battery-share", d.batteryShare()))
                .powerSourcePeriod(minutes(values, "--power-source-minutes", d.powerSourcePeriod()))
                .powerCycle(minutes(values, "--active-minutes", d.activePeriod()),
                        minutes(values, "--standby-minutes", d.standbyPeriod()))
                .appStates(decimal(values, "--foreground-share", d.foregroundShare()),
                        decimal(values, "--suspended-share", d.suspendedShare()),
                        minutes(values, "--app-state-minutes", d.appStatePeriod()))
                .lockScreen(decimal(values, "--lock-screen-share", d.lockScreenShare()),
                        decimal(values, "--consent-probability", d.consentProbability()))
                .controlChannels(decimal(values, "--control-channel-share", d.controlChannelShare()),
                        integer(values, "--control-channels-per-app", d.controlChannelsPerApp()),
                        decimal(values, "--hardware-slot-share", d.hardwareSlotShare()),
                        integer(values, "--keep-alive-minutes", d.keepAliveMinutes()))
                .triggers(decimal(values, "--time-trigger-share", d.timeTriggerShare()),
                        decimal(values, "--maintenance-trigger-share", d.maintenanceTriggerShare()),
                        integer(values, "--trigger-freshness-minutes", d.triggerFreshnessMinutes()))
                .taskUsage(range(values, "--task-cpu-millis", d.taskCpuMillis()),
                        range(values, "--task-network-bytes", d.taskNetworkBytes()))
                .timeScale(decimal(values, "--time-scale", d.timeScale()))
                .build();
    }

    private static double decimal(Map<String, String> values, String flag, double defaultValue) {
        String value = values.get(flag);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number: " + value);
        }
    }

    /** Minutes, fractions allowed (0.5 is 30 s of simulated time). */
    private static Duration minutes(Map<String, String> values, String flag, Duration defaultValue) {
        if (!values.containsKey(flag)) {
            return defaultValue;
        }
        double minutes = decimal(values, flag, 0);
        if (!(minutes >= 0) || Double.isInfinite(minutes)) {
            throw new IllegalArgumentException(flag + " must be zero or more minutes: " + values.get(flag));
        }
        return Duration.ofNanos(Math.round(minutes * TimeUnit.MINUTES.toNanos(1)));
    }

    private static LongRange range(Map<String, String> values, String flag, LongRange defaultValue) {
        String value = values.get(flag);
        if (value == null) {
            return defaultValue;
        }
        try {
            return LongRange.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
    }

    private static long longInteger(Map<String, String> values, String flag, long defaultValue) {
        String value = values.get(flag);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number: " + value);
        }
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        return Set.copyOf(all);
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
