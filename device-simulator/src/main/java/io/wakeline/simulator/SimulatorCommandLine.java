package io.wakeline.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What {@link SimulatorMain} was asked to do, parsed (picocli) from its options and environment: a run, a request
 * for help, or a problem that says what to change. Parsing never prints and never exits.
 */
sealed interface SimulatorCommandLine {

    String FLEET_SECRET_ENV = "WAKELINE_FLEET_SECRET";

    /** Options that shape the device-model population: giving any of them switches the model on. */
    List<String> POPULATION_OPTIONS = List.of("--time-scale", "--connected-standby-share", "--chipset-only-share",
            "--battery-share", "--power-source-minutes", "--active-minutes", "--standby-minutes", "--foreground-share",
            "--suspended-share", "--app-state-minutes", "--lock-screen-share", "--consent-probability",
            "--control-channel-share", "--control-channels-per-app", "--hardware-slot-share", "--keep-alive-minutes",
            "--time-trigger-share", "--maintenance-trigger-share", "--trigger-freshness-minutes", "--task-cpu-millis",
            "--task-network-bytes");

    /**
     * Simulate with {@code config}; stop after {@code duration} unless it is zero.
     *
     * @param script             steps to carry out while the fleet runs (from --script and --do), in order
     * @param printNotifications how many received notifications to print (0: none)
     * @param progress           whether to print a progress line per {@code summaryInterval}
     * @param linkTimeout        how long a script step waits for a device's link
     * @param stopAfterScript    end the run once the script is done (before {@code duration} if that is longer)
     */
    record Run(SimulatorConfig config, Duration duration, Duration summaryInterval, List<ScriptStep> script,
               int printNotifications, boolean progress, Duration linkTimeout, boolean stopAfterScript)
            implements SimulatorCommandLine {
        public Run {
            script = List.copyOf(script);
        }
    }

    record ShowHelp(String usage) implements SimulatorCommandLine {
    }

    record Invalid(String problem) implements SimulatorCommandLine {
    }

    static SimulatorCommandLine parse(List<String> args, Map<String, String> env) {
        Options options = new Options();
        CommandLine commandLine = commandLine(options);
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return new Invalid(e.getMessage());
        }
        if (commandLine.isUsageHelpRequested()) {
            return new ShowHelp(commandLine.getUsageMessage());
        }
        try {
            return options.run(parsed, env);
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    /** The usage text, as --help prints it. */
    static String usage() {
        return commandLine(new Options()).getUsageMessage();
    }

    private static CommandLine commandLine(Options options) {
        CommandLine commandLine = new CommandLine(options);
        commandLine.setUsageHelpWidth(110);
        List<String> footer = new ArrayList<>(List.of("",
                "Script steps (--script FILE, one per line, # comments; or --do STEP, repeatable). DEVICES is an id,",
                "FIRST..LAST (e.g. dev-0..dev-99) or all; APP an app id or its position in --apps (1 = the first):"));
        SimulatorScript.GRAMMAR.lines().forEach(line -> footer.add("  " + line));
        footer.addAll(List.of("",
                "Options may also come from a file: wakeline-simulator @fleet.args (whitespace-separated, # comments).",
                "A process may hold about 19,500 sockets here: run several simulators (with --first-index and",
                "--source-addresses 127.0.0.2,...) for larger fleets."));
        commandLine.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
        // an option given twice takes the last value, so a saved @argfile can be overridden after it
        commandLine.setOverwrittenOptionsAllowed(true);
        DevicePopulation d = DevicePopulation.defaults();
        Map<String, String> populationDefaults = Map.ofEntries(
                Map.entry("--time-scale", number(d.timeScale())),
                Map.entry("--connected-standby-share", number(d.connectedStandbyShare())),
                Map.entry("--chipset-only-share", number(d.chipsetOnlyShare())),
                Map.entry("--battery-share", number(d.batteryShare())),
                Map.entry("--power-source-minutes", minutes(d.powerSourcePeriod())),
                Map.entry("--active-minutes", minutes(d.activePeriod())),
                Map.entry("--standby-minutes", minutes(d.standbyPeriod())),
                Map.entry("--foreground-share", number(d.foregroundShare())),
                Map.entry("--suspended-share", number(d.suspendedShare())),
                Map.entry("--app-state-minutes", minutes(d.appStatePeriod())),
                Map.entry("--lock-screen-share", number(d.lockScreenShare())),
                Map.entry("--consent-probability", number(d.consentProbability())),
                Map.entry("--control-channel-share", number(d.controlChannelShare())),
                Map.entry("--control-channels-per-app", Integer.toString(d.controlChannelsPerApp())),
                Map.entry("--hardware-slot-share", number(d.hardwareSlotShare())),
                Map.entry("--keep-alive-minutes", Integer.toString(d.keepAliveMinutes())),
                Map.entry("--time-trigger-share", number(d.timeTriggerShare())),
                Map.entry("--maintenance-trigger-share", number(d.maintenanceTriggerShare())),
                Map.entry("--trigger-freshness-minutes", Integer.toString(d.triggerFreshnessMinutes())),
                Map.entry("--task-cpu-millis", d.taskCpuMillis().toString()),
                Map.entry("--task-network-bytes", d.taskNetworkBytes().toString()));
        // the population's own defaults, so --help shows them and nothing repeats them
        commandLine.setDefaultValueProvider(argSpec -> argSpec.isOption()
                ? populationDefaults.get(((CommandLine.Model.OptionSpec) argSpec).longestName()) : null);
        return commandLine;
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String minutes(Duration duration) {
        return number(duration.toNanos() / (double) TimeUnit.MINUTES.toNanos(1));
    }

    @Command(name = "wakeline-simulator", sortOptions = false, abbreviateSynopsis = true,
            description = {"Simulates many Wakeline devices, each with one device link over TCP, from one selector thread,",
                    "and carries out a script of device actions (Web Push subscriptions, offline windows, app states,",
                    "lock screen, control channels, ...) while they run. Prints a progress line per interval."},
            // the footer (script grammar, argument files, socket budget) is set in commandLine()
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                    "0:ran and stopped (duration over, or Ctrl-C / SIGTERM)",
                    "1:could not start (broker host unknown, channel file not writable, ...)",
                    "2:bad arguments or script",
                    "3:ran, but a script step failed (see the script lines printed)"})
    final class Options {
        @Option(names = "--host", paramLabel = "HOST", description = "broker address (default: 127.0.0.1)")
        String host;

        @Option(names = "--port", paramLabel = "PORT", description = "broker device-link port (required unless "
                + "--gateways)")
        Integer port;

        @Option(names = "--gateways", paramLabel = "H:P,H:P,...",
                description = "several device-link listeners (e.g. one per cluster node) instead of --host/--port: "
                        + "devices are spread over them and move to another after a lost link or a GoAway")
        String gateways;

        @Option(names = "--devices", paramLabel = "N", defaultValue = "1", description = "number of devices "
                + "(default: ${DEFAULT-VALUE})")
        int devices;

        @Option(names = "--prefix", paramLabel = "P", defaultValue = "dev-", description = "device ids are P + "
                + "index (default: ${DEFAULT-VALUE})")
        String prefix;

        @Option(names = "--first-index", paramLabel = "I", defaultValue = "0", description = "index of the first "
                + "device (default: ${DEFAULT-VALUE})")
        int firstIndex;

        @Option(names = "--fleet-secret-hex", paramLabel = "HEX",
                description = "fleet secret; or set " + FLEET_SECRET_ENV + " (hex)")
        String fleetSecretHex;

        @Option(names = "--apps", paramLabel = "A,B", description = "app ids (package SIDs) to request a channel "
                + "for (default: none)")
        String apps;

        @Option(names = "--source-addresses", paramLabel = "IP,IP",
                description = "local addresses to connect from, round-robin (default: the OS chooses)")
        String sourceAddresses;

        @Option(names = "--connect-rate", paramLabel = "N", defaultValue = "1000",
                description = "connection attempts per second, at most (default: ${DEFAULT-VALUE})")
        int connectRate;

        @Option(names = "--backoff-min-millis", paramLabel = "MS", defaultValue = "1000",
                description = "first reconnect delay ceiling (default: ${DEFAULT-VALUE})")
        int backoffMinMillis;

        @Option(names = "--backoff-max-millis", paramLabel = "MS", defaultValue = "60000",
                description = "reconnect delay cap (default: ${DEFAULT-VALUE})")
        int backoffMaxMillis;

        @Option(names = "--channel-file", paramLabel = "PATH",
                description = "write every issued channel, control channel and Web Push subscription (with its "
                        + "p256dh/auth keys) as a JSON line (truncated at start)")
        Path channelFile;

        @Option(names = "--duration-seconds", paramLabel = "S", defaultValue = "0",
                description = "stop after S seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE})")
        int durationSeconds;

        @Option(names = "--summary-interval-seconds", paramLabel = "S", defaultValue = "5",
                description = "one progress line every S seconds (default: ${DEFAULT-VALUE})")
        int summaryIntervalSeconds;

        @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "print the progress line (in place on a terminal); --no-progress: only script lines, "
                        + "printed notifications and the final summary (default: ${DEFAULT-VALUE})")
        boolean progress;

        @Option(names = "--script", paramLabel = "FILE", description = "carry out the steps of FILE while the "
                + "fleet runs (see below)")
        Path script;

        @Option(names = "--do", paramLabel = "STEP",
                description = "one script step, e.g. --do 'web-push-subscribe dev-0 1'; repeatable, run in order "
                        + "after the --script file's steps")
        List<String> steps = new ArrayList<>();

        @Option(names = "--stop-after-script",
                description = "end the run when the script is done (scripted scenarios, smoke tests); the exit "
                        + "status then says whether every step succeeded")
        boolean stopAfterScript;

        @Option(names = "--link-timeout-seconds", paramLabel = "S", defaultValue = "30",
                description = "how long a script step waits for a device's link (default: ${DEFAULT-VALUE})")
        int linkTimeoutSeconds;

        @Option(names = "--print-notifications", paramLabel = "N", defaultValue = "0",
                description = "print the first N notifications received (payload as text; Web Push decrypted for "
                        + "subscriptions the script made) (default: ${DEFAULT-VALUE})")
        int printNotifications;

        @Option(names = "--foreground-apps", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "with the device model off, report every app FOREGROUND after each Welcome (counted "
                        + "as fg-reports) so raw notifications reach the apps; --no-foreground-apps: send no "
                        + "device-model frame unless scripted (default: ${DEFAULT-VALUE})")
        boolean foregroundApps;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
        boolean help;

        // ---- Windows device model (README "Windows device model")

        @Option(names = "--device-model", paramLabel = "automatic|off", arity = "0..1", fallbackValue = "automatic",
                description = "devices play the Windows device model on their own; also switched on by any option "
                        + "below but --seed (default: off)")
        String deviceModel;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of every per-device "
                + "draw (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--time-scale", paramLabel = "X", description = "simulated minutes per real minute "
                + "(default: ${DEFAULT-VALUE})")
        double timeScale;

        @Option(names = "--connected-standby-share", paramLabel = "S",
                description = "devices with chipset + network connected standby (default: ${DEFAULT-VALUE})")
        double connectedStandbyShare;

        @Option(names = "--chipset-only-share", paramLabel = "S",
                description = "devices with chipset-only connected standby (default: ${DEFAULT-VALUE})")
        double chipsetOnlyShare;

        @Option(names = "--battery-share", paramLabel = "S", description = "devices on battery rather than mains "
                + "(default: ${DEFAULT-VALUE})")
        double batteryShare;

        @Option(names = "--power-source-minutes", paramLabel = "M",
                description = "power source drawn again every ~M min, 0 never (default: ${DEFAULT-VALUE})")
        double powerSourceMinutes;

        @Option(names = "--active-minutes", paramLabel = "M",
                description = "~M min ACTIVE before standby/sleep, 0 always active (default: ${DEFAULT-VALUE})")
        double activeMinutes;

        @Option(names = "--standby-minutes", paramLabel = "M", description = "~M min in connected standby/sleep "
                + "(default: ${DEFAULT-VALUE})")
        double standbyMinutes;

        @Option(names = "--foreground-share", paramLabel = "S",
                description = "share of active time an app is in the foreground (default: ${DEFAULT-VALUE})")
        double foregroundShare;

        @Option(names = "--suspended-share", paramLabel = "S",
                description = "of the rest, share SUSPENDED rather than NOT_RUNNING (default: ${DEFAULT-VALUE})")
        double suspendedShare;

        @Option(names = "--app-state-minutes", paramLabel = "M",
                description = "app states drawn again every ~M min, 0 never (default: ${DEFAULT-VALUE})")
        double appStateMinutes;

        @Option(names = "--lock-screen-share", paramLabel = "S", description = "apps asking for the lock screen "
                + "(default: ${DEFAULT-VALUE})")
        double lockScreenShare;

        @Option(names = "--consent-probability", paramLabel = "P", description = "user allows the lock-screen "
                + "prompt (default: ${DEFAULT-VALUE})")
        double consentProbability;

        @Option(names = "--control-channel-share", paramLabel = "S",
                description = "lock-screen apps with control channels (default: ${DEFAULT-VALUE})")
        double controlChannelShare;

        @Option(names = "--control-channels-per-app", paramLabel = "N", description = "1..5 (default: "
                + "${DEFAULT-VALUE})")
        int controlChannelsPerApp;

        @Option(names = "--hardware-slot-share", paramLabel = "S",
                description = "channels asking for a hardware slot (default: ${DEFAULT-VALUE})")
        double hardwareSlotShare;

        @Option(names = "--keep-alive-minutes", paramLabel = "M", description = "server keep-alive, 15..1439 "
                + "(default: ${DEFAULT-VALUE})")
        int keepAliveMinutes;

        @Option(names = "--time-trigger-share", paramLabel = "S",
                description = "lock-screen apps with a TimeTrigger (default: ${DEFAULT-VALUE})")
        double timeTriggerShare;

        @Option(names = "--maintenance-trigger-share", paramLabel = "S",
                description = "apps with a MaintenanceTrigger (default: ${DEFAULT-VALUE})")
        double maintenanceTriggerShare;

        @Option(names = "--trigger-freshness-minutes", paramLabel = "M",
                description = "freshness of both triggers, >= 15 (default: ${DEFAULT-VALUE})")
        int triggerFreshnessMinutes;

        @Option(names = "--task-cpu-millis", paramLabel = "MIN-MAX", description = "CPU a background task reports "
                + "(default: ${DEFAULT-VALUE})")
        String taskCpuMillis;

        @Option(names = "--task-network-bytes", paramLabel = "MIN-MAX", description = "network bytes it reports "
                + "(default: ${DEFAULT-VALUE})")
        String taskNetworkBytes;

        Run run(CommandLine.ParseResult parsed, Map<String, String> env) {
            String secretHex = fleetSecretHex != null ? fleetSecretHex : env.get(FLEET_SECRET_ENV);
            if (secretHex == null || secretHex.isBlank()) {
                throw new IllegalArgumentException("a fleet secret is required: --fleet-secret-hex HEX or "
                        + FLEET_SECRET_ENV + " (the node's <data-dir>/keys/fleet-secret)");
            }
            if (gateways == null && port == null) {
                throw new IllegalArgumentException("--port is required (the node's device port, 8700 by default), "
                        + "or --gateways HOST:PORT,...");
            }
            if (gateways != null && port != null) {
                throw new IllegalArgumentException("give either --port (with --host) or --gateways, not both");
            }
            if (gateways != null && host != null) {
                throw new IllegalArgumentException("--host goes with --port; --gateways names hosts itself");
            }
            byte[] secret;
            try {
                secret = HexFormat.of().parseHex(secretHex.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the fleet secret is hex digits: " + e.getMessage());
            }
            if (durationSeconds < 0 || summaryIntervalSeconds < 1 || linkTimeoutSeconds < 1 || printNotifications < 0) {
                throw new IllegalArgumentException("--duration-seconds and --print-notifications must be >= 0, "
                        + "--summary-interval-seconds and --link-timeout-seconds >= 1");
            }
            SimulatorConfig.Builder config = SimulatorConfig.builder()
                    .host(host != null ? host : "127.0.0.1")
                    .port(port != null ? port : 0)
                    .deviceCount(devices)
                    .deviceIdPrefix(prefix)
                    .firstIndex(firstIndex)
                    .fleetSecret(secret)
                    .appIds(list(apps))
                    .sourceAddresses(list(sourceAddresses))
                    .connectRatePerSecond(connectRate)
                    .reconnectBackoff(Duration.ofMillis(backoffMinMillis), Duration.ofMillis(backoffMaxMillis))
                    .channelFile(channelFile)
                    .seed(seed)
                    .deviceModel(deviceModel(parsed))
                    .population(population())
                    .reportAppsInForeground(foregroundApps);
            if (gateways != null) {
                config.gateways(GatewayAddress.parseList(gateways));
            }
            SimulatorConfig built = config.build();
            List<ScriptStep> steps = script(built);
            if (stopAfterScript && steps.isEmpty()) {
                throw new IllegalArgumentException("--stop-after-script needs a script: --script FILE or --do STEP");
            }
            return new Run(built, Duration.ofSeconds(durationSeconds), Duration.ofSeconds(summaryIntervalSeconds),
                    steps, printNotifications, progress, Duration.ofSeconds(linkTimeoutSeconds), stopAfterScript);
        }

        private List<ScriptStep> script(SimulatorConfig config) {
            List<ScriptStep> all = new ArrayList<>();
            if (script != null) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(script);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read --script " + script + ": " + e);
                }
                all.addAll(SimulatorScript.parse(script.toString(), lines, config));
            }
            for (int i = 0; i < steps.size(); i++) {
                // each --do is one step; its "line" is its position among the --do options
                List<ScriptStep> step = SimulatorScript.parse("--do #" + (i + 1),
                        List.of(steps.get(i).replace('\n', ' ')), config);
                all.addAll(step);
            }
            return all;
        }

        /** {@code --device-model} alone or with {@code =automatic}, or any population option: on; {@code =off}: off. */
        private DeviceModelMode deviceModel(CommandLine.ParseResult parsed) {
            if (deviceModel == null) {
                return POPULATION_OPTIONS.stream().anyMatch(parsed::hasMatchedOption) ? DeviceModelMode.AUTOMATIC
                        : DeviceModelMode.OFF;
            }
            try {
                return DeviceModelMode.valueOf(deviceModel.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--device-model is automatic or off: " + deviceModel);
            }
        }

        private DevicePopulation population() {
            return DevicePopulation.builder()
                    .hardware(connectedStandbyShare, chipsetOnlyShare)
                    .batteryShare(batteryShare)
                    .powerSourcePeriod(minutes("--power-source-minutes", powerSourceMinutes))
                    .powerCycle(minutes("--active-minutes", activeMinutes), minutes("--standby-minutes", standbyMinutes))
                    .appStates(foregroundShare, suspendedShare, minutes("--app-state-minutes", appStateMinutes))
                    .lockScreen(lockScreenShare, consentProbability)
                    .controlChannels(controlChannelShare, controlChannelsPerApp, hardwareSlotShare, keepAliveMinutes)
                    .triggers(timeTriggerShare, maintenanceTriggerShare, triggerFreshnessMinutes)
                    .taskUsage(range("--task-cpu-millis", taskCpuMillis), range("--task-network-bytes", taskNetworkBytes))
                    .timeScale(timeScale)
                    .build();
        }
    }

    /** Minutes, fractions allowed (0.5 is 30 s of simulated time). */
    private static Duration minutes(String option, double minutes) {
        if (!(minutes >= 0) || Double.isInfinite(minutes)) {
            throw new IllegalArgumentException(option + " must be zero or more minutes: " + minutes);
        }
        return Duration.ofNanos(Math.round(minutes * TimeUnit.MINUTES.toNanos(1)));
    }

    private static LongRange range(String option, String value) {
        try {
            return LongRange.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
