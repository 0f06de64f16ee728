package io.wakeline.simulator;

import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.ControlChannelResourceType;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.ManifestBackgroundTask;
import io.wakeline.protocol.v1.PowerSource;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.protocol.v1.TriggerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's script format: one step per line, run in order while the fleet runs ({@code --script FILE},
 * {@code --do STEP}). Blank lines and {@code #} comments are skipped. A line is an action, the devices it
 * applies to, then its arguments: {@code web-push-subscribe dev-0 ms-app://S-1-15-2-1}. Devices are one id
 * ({@code dev-7}), an inclusive range ({@code dev-0..dev-99}) or {@code all}; an app is its id or its position in
 * {@code --apps} (1 for the first). The grammar, with defaults, is {@link #GRAMMAR} (device-simulator/README.md).
 */
final class SimulatorScript {

    static final String GRAMMAR = """
            sleep DURATION                                    e.g. 500ms, 5s, 2m
            await-channels [TIMEOUT]                          every device holds its channels (default 60s)
            offline DEVICES                                   close the links; the devices stay offline
            online DEVICES                                    connect them again
            power DEVICES active|connected-standby|sleep [battery|mains] [battery-saver]
            app-state DEVICES APP foreground|suspended|not-running
            lock-screen DEVICES APP [allow|dont-allow|dismiss] [tasks=push-notification,control-channel,timer,system-event]
            lock-screen-remove DEVICES APP                    the user removes the app from the lock screen
            trigger DEVICES APP push-notification|control-channel|time|maintenance|system [freshness=MIN] [unregister]
            background-task DEVICES APP time|maintenance [cpu-ms=N] [network-bytes=N]
            control-channel DEVICES APP CHANNEL-ID [software|hardware] [keep-alive=MIN]
            close-control-channel DEVICES APP CHANNEL-ID
            control-upstream DEVICES APP CHANNEL-ID TEXT...   a message for the app server's event stream
            web-push-subscribe DEVICES APP [key=BASE64URL]    fresh p256dh/auth keys, written to the channel file
            web-push-unsubscribe DEVICES APP                  the subscriptions this script made
            close-channel DEVICES APP                         the device's current WNS channel for the app
            """;

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final Pattern RANGE = Pattern.compile("(.*?)(\\d+)\\.\\.(.*?)(\\d+)");
    private static final Duration DEFAULT_AWAIT = Duration.ofSeconds(60);
    private static final int MAX_STEP_DEVICES = 1_000_000;

    private final String source;
    private final SimulatorConfig config;

    private SimulatorScript(String source, SimulatorConfig config) {
        this.source = source;
        this.config = config;
    }

    /**
     * @param source where the lines come from, for messages ({@code script.txt}, {@code --do})
     * @throws IllegalArgumentException naming the source, line and what to change
     */
    static List<ScriptStep> parse(String source, List<String> lines, SimulatorConfig config) {
        SimulatorScript script = new SimulatorScript(source, config);
        List<ScriptStep> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            int comment = text.indexOf('#');
            if (comment >= 0) {
                text = text.substring(0, comment).strip();
            }
            if (text.isEmpty()) {
                continue;
            }
            try {
                steps.add(script.step(i + 1, text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + " (" + text + "): " + e.getMessage(), e);
            }
        }
        return steps;
    }

    private ScriptStep step(int line, String text) {
        List<String> words = List.of(text.split("\\s+"));
        String action = words.get(0);
        Arguments args = new Arguments(words.subList(1, words.size()));
        switch (action) {
            case "sleep" -> {
                Duration duration = duration(args.required(0, "a duration, e.g. 5s"));
                args.noMoreThan(1);
                return new ScriptStep.Sleep(source, line, text, duration);
            }
            case "await-channels" -> {
                Duration timeout = args.size() > 0 ? duration(args.positional(0)) : DEFAULT_AWAIT;
                args.noMoreThan(1);
                return new ScriptStep.AwaitChannels(source, line, text, timeout);
            }
            default -> {
                // every other action names devices first
            }
        }
        List<String> devices = devices(args.required(0, "the devices: an id, FIRST..LAST or all"));
        DeviceAction deviceAction = switch (action) {
            case "offline" -> args.done(1, new DeviceAction.Offline());
            case "online" -> args.done(1, new DeviceAction.Online());
            case "power" -> power(args);
            case "app-state" -> args.done(3, new DeviceAction.AppState(app(args, 1), choice(args.required(2,
                    "foreground, suspended or not-running"), Map.of("foreground", AppExecutionState.FOREGROUND,
                    "suspended", AppExecutionState.SUSPENDED, "not-running", AppExecutionState.NOT_RUNNING))));
            case "lock-screen" -> lockScreen(args);
            case "lock-screen-remove" -> args.done(2, new DeviceAction.LockScreenRemove(app(args, 1)));
            case "trigger" -> trigger(args);
            case "background-task" -> backgroundTask(args);
            case "control-channel" -> controlChannel(args);
            case "close-control-channel" -> args.done(3, new DeviceAction.CloseControlChannel(app(args, 1),
                    channelId(args.required(2, "the control channel's id"))));
            case "control-upstream" -> {
                String app = app(args, 1);
                String channel = channelId(args.required(2, "the control channel's id"));
                if (args.wordsFrom(3).isEmpty()) {
                    throw new IllegalArgumentException("missing the message text");
                }
                yield new DeviceAction.ControlUpstream(app, channel, String.join(" ", args.wordsFrom(3)));
            }
            case "web-push-subscribe" -> {
                String app = app(args, 1);
                String key = args.named("key", "");
                args.noMoreThan(2);
                byte[] applicationServerKey;
                try {
                    applicationServerKey = Base64.getUrlDecoder().decode(key);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("key= is the application server's public key, base64url: " + key);
                }
                yield new DeviceAction.WebPushSubscribe(app, applicationServerKey);
            }
            case "web-push-unsubscribe" -> args.done(2, new DeviceAction.WebPushUnsubscribe(app(args, 1)));
            case "close-channel" -> args.done(2, new DeviceAction.CloseChannel(app(args, 1)));
            default -> throw new IllegalArgumentException("unknown action '" + action + "'; one of: "
                    + "sleep, await-channels, offline, online, power, app-state, lock-screen, lock-screen-remove, trigger, "
                    + "background-task, control-channel, close-control-channel, control-upstream, web-push-subscribe, "
                    + "web-push-unsubscribe, close-channel");
        };
        return new ScriptStep.OnDevices(source, line, text, devices, deviceAction);
    }

    private DeviceAction power(Arguments args) {
        PowerState state = choice(args.required(1, "active, connected-standby or sleep"), Map.of(
                "active", PowerState.ACTIVE, "connected-standby", PowerState.CONNECTED_STANDBY, "sleep", PowerState.SLEEP));
        PowerSource source = null;
        boolean saver = false;
        args.noMoreThan(5);
        for (String word : args.from(2)) {
            switch (word) {
                case "battery" -> source = PowerSource.BATTERY;
                case "mains" -> source = PowerSource.MAINS;
                case "battery-saver" -> saver = true;
                default -> throw new IllegalArgumentException("after the power state: battery, mains or battery-saver, not " + word);
            }
        }
        return new DeviceAction.Power(state, source, saver);
    }

    private DeviceAction lockScreen(Arguments args) {
        String app = app(args, 1);
        LockScreenConsent consent = LockScreenConsent.CONSENT_ALLOW;
        List<ManifestBackgroundTask> tasks = List.of(ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION,
                ManifestBackgroundTask.MANIFEST_CONTROL_CHANNEL);
        String declared = args.named("tasks", null);
        if (declared != null) {
            List<ManifestBackgroundTask> chosen = new ArrayList<>();
            for (String task : declared.split(",")) {
                chosen.add(choice(task, Map.of("push-notification", ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION,
                        "control-channel", ManifestBackgroundTask.MANIFEST_CONTROL_CHANNEL,
                        "timer", ManifestBackgroundTask.MANIFEST_TIMER,
                        "system-event", ManifestBackgroundTask.MANIFEST_SYSTEM_EVENT)));
            }
            tasks = chosen;
        }
        args.noMoreThan(3);
        if (args.size() > 2) {
            consent = choice(args.positional(2), Map.of("allow", LockScreenConsent.CONSENT_ALLOW,
                    "dont-allow", LockScreenConsent.CONSENT_DONT_ALLOW, "dismiss", LockScreenConsent.CONSENT_DISMISSED));
        }
        return new DeviceAction.LockScreen(app, consent, tasks);
    }

    private DeviceAction trigger(Arguments args) {
        String app = app(args, 1);
        TriggerKind kind = choice(args.required(2, "the trigger kind"), Map.of(
                "push-notification", TriggerKind.PUSH_NOTIFICATION_TRIGGER,
                "control-channel", TriggerKind.CONTROL_CHANNEL_TRIGGER, "time", TriggerKind.TIME_TRIGGER,
                "maintenance", TriggerKind.MAINTENANCE_TRIGGER, "system", TriggerKind.SYSTEM_TRIGGER));
        int freshness = (int) args.number("freshness", 15);
        args.noMoreThan(4);
        boolean unregister = args.size() > 3;
        if (unregister && !args.positional(3).equals("unregister")) {
            throw new IllegalArgumentException("unexpected '" + args.positional(3) + "' (unregister?)");
        }
        return new DeviceAction.Trigger(app, kind, freshness, unregister);
    }

    private DeviceAction backgroundTask(Arguments args) {
        String app = app(args, 1);
        TriggerKind kind = choice(args.required(2, "time or maintenance"), Map.of(
                "time", TriggerKind.TIME_TRIGGER, "maintenance", TriggerKind.MAINTENANCE_TRIGGER));
        long cpu = args.number("cpu-ms", 100);
        long network = args.number("network-bytes", 1_000);
        args.noMoreThan(3);
        return new DeviceAction.BackgroundTask(app, kind, cpu, network);
    }

    private DeviceAction controlChannel(Arguments args) {
        String app = app(args, 1);
        String channel = channelId(args.required(2, "the control channel's id (1..64 characters)"));
        int keepAlive = (int) args.number("keep-alive", 15);
        args.noMoreThan(4);
        ControlChannelResourceType slot = ControlChannelResourceType.REQUEST_SOFTWARE_SLOT;
        if (args.size() > 3) {
            slot = choice(args.positional(3), Map.of("software", ControlChannelResourceType.REQUEST_SOFTWARE_SLOT,
                    "hardware", ControlChannelResourceType.REQUEST_HARDWARE_SLOT));
        }
        return new DeviceAction.ControlChannel(app, channel, slot, keepAlive);
    }

    private static String channelId(String id) {
        if (id.length() > 64) {
            throw new IllegalArgumentException("a control channel id has at most 64 characters: " + id);
        }
        return id;
    }

    /** An app id, or its 1-based position in --apps. */
    private String app(Arguments args, int index) {
        String app = args.required(index, "the app: its id (ms-app://...) or its position in --apps");
        if (app.chars().allMatch(Character::isDigit)) {
            int position = Integer.parseInt(app);
            if (position < 1 || position > config.appIds().size()) {
                throw new IllegalArgumentException("app " + app + " is not a position in --apps " + config.appIds());
            }
            return config.appIds().get(position - 1);
        }
        return app;
    }

    /** Device ids of this simulator: one, FIRST..LAST (inclusive, same prefix) or all. */
    private List<String> devices(String selection) {
        List<String> ids = new ArrayList<>();
        int first = config.firstIndex();
        int last = first + config.deviceCount() - 1;
        if (selection.equals("all")) {
            for (int i = 0; i < config.deviceCount(); i++) {
                ids.add(config.deviceId(i));
            }
            return ids;
        }
        Matcher range = RANGE.matcher(selection);
        long from;
        long to;
        if (range.matches()) {
            if (!range.group(1).equals(config.deviceIdPrefix()) || !range.group(3).equals(config.deviceIdPrefix())) {
                throw new IllegalArgumentException("devices " + selection + " do not have this simulator's prefix "
                        + config.deviceIdPrefix());
            }
            from = Long.parseLong(range.group(2));
            to = Long.parseLong(range.group(4));
        } else {
            from = index(selection);
            to = from;
        }
        if (from > to || from < first || to > last || to - from >= MAX_STEP_DEVICES) {
            throw new IllegalArgumentException("devices " + selection + " are not within this simulator's "
                    + config.deviceId(0) + ".." + config.deviceId(config.deviceCount() - 1));
        }
        for (long i = from; i <= to; i++) {
            ids.add(config.deviceIdPrefix() + i);
        }
        return ids;
    }

    private long index(String deviceId) {
        String prefix = config.deviceIdPrefix();
        if (deviceId.startsWith(prefix) && deviceId.length() > prefix.length()
                && deviceId.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
            return Long.parseLong(deviceId.substring(prefix.length()));
        }
        throw new IllegalArgumentException("'" + deviceId + "' is not a device of this simulator (ids are "
                + prefix + "N; ranges " + prefix + "0.." + prefix + "9; or all)");
    }

    static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a duration is a number and ms, s, m or h (e.g. 500ms, 5s): " + text);
        }
        double amount = Double.parseDouble(matcher.group(1));
        double millis = switch (matcher.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    private static <T> T choice(String word, Map<String, T> choices) {
        T value = choices.get(word);
        if (value == null) {
            throw new IllegalArgumentException("'" + word + "' is not one of " + new java.util.TreeSet<>(choices.keySet()));
        }
        return value;
    }

    /** A line's words after the action: positional ones, and {@code name=value} ones taken by name. */
    private static final class Arguments {
        private final List<String> words;
        private final List<String> positional = new ArrayList<>();
        private final Map<String, String> named = new HashMap<>();
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Arguments(List<String> words) {
            this.words = words;
            for (String word : words) {
                int equals = word.indexOf('=');
                if (equals > 0) {
                    named.put(word.substring(0, equals), word.substring(equals + 1));
                } else {
                    positional.add(word);
                }
            }
        }

        int size() {
            return positional.size();
        }

        String positional(int index) {
            return positional.get(index);
        }

        String required(int index, String what) {
            if (index >= positional.size()) {
                throw new IllegalArgumentException("missing " + what);
            }
            return positional.get(index);
        }

        /** The positional words from {@code index} on. */
        List<String> from(int index) {
            return index >= positional.size() ? List.of() : positional.subList(index, positional.size());
        }

        /** The line's words from {@code index} on, as written (free text may contain '='). */
        List<String> wordsFrom(int index) {
            return index >= words.size() ? List.of() : words.subList(index, words.size());
        }

        String named(String name, String defaultValue) {
            used.add(name);
            return named.getOrDefault(name, defaultValue);
        }

        long number(String name, long defaultValue) {
            String value = named(name, null);
            if (value == null) {
                return defaultValue;
            }
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + "= needs a whole number: " + value);
            }
        }

        void noMoreThan(int count) {
            if (positional.size() > count) {
                throw new IllegalArgumentException("unexpected '" + positional.get(count) + "'");
            }
            for (String name : named.keySet()) {
                if (!used.contains(name)) {
                    throw new IllegalArgumentException("unexpected '" + name + "='");
                }
            }
        }

        <T> T done(int count, T value) {
            noMoreThan(count);
            return value;
        }
    }
}
