package io.wakeline.simulator;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Command-line entry point: simulates a fleet against a broker, carries out a script of device actions while it
 * runs, and prints a progress line every interval (in place on a terminal).
 *
 * <pre>
 * device-simulator/target/dist/bin/wakeline-simulator --port 8700 --devices 10000 \
 *     --apps ms-app://S-1-15-2-1 --connect-rate 2000 --channel-file channels.jsonl --duration-seconds 600
 * </pre>
 *
 * See {@code --help} for every option, the script format and the exit codes. With {@code --duration-seconds 0}
 * (the default) it runs until interrupted (Ctrl-C, SIGTERM); either way the links are closed and a final summary
 * printed on the way out.
 */
public final class SimulatorMain {
    static final int EXIT_OK = 0;
    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_SCRIPT_FAILED = 3;
    private static final long SCRIPT_POLL_MILLIS = 50;

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(execute(List.of(args), System.getenv(), System.out, System.err, System.console() != null));
    }

    /**
     * Everything {@link #main} does but exiting, so it can be driven from tests.
     *
     * @param terminal whether {@code out} is a terminal: the progress line is then rewritten in place
     */
    static int execute(List<String> args, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal)
            throws InterruptedException {
        SimulatorCommandLine commandLine = SimulatorCommandLine.parse(args, env);
        if (commandLine instanceof SimulatorCommandLine.ShowHelp help) {
            out.print(help.usage());
            return EXIT_OK;
        }
        if (commandLine instanceof SimulatorCommandLine.Invalid invalid) {
            err.println("wakeline-simulator: " + invalid.problem());
            err.println("Try `wakeline-simulator --help`.");
            return EXIT_USAGE;
        }
        SimulatorCommandLine.Run run = (SimulatorCommandLine.Run) commandLine;
        SimulatorConsole console = new SimulatorConsole(out, terminal);
        Map<String, WebPushKeys> keysBySubscription = new ConcurrentHashMap<>();
        SimulatorConfig config = run.printNotifications() > 0
                ? run.config().withListener(new NotificationPrinter(console, run.printNotifications(), keysBySubscription))
                : run.config();
        DeviceSimulator simulator;
        try {
            simulator = DeviceSimulator.start(config);
        } catch (UncheckedIOException e) {
            err.println("wakeline-simulator: " + e.getMessage() + ": " + e.getCause().getMessage());
            return EXIT_CANNOT_START;
        }
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                simulator.close();
                console.finish();
                console.line("final " + simulator.stats().summaryLine());
            }
        };
        Thread hook = new Thread(finish, "wakeline-simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        ScriptRunner script = null;
        Thread scriptThread = null;
        if (!run.script().isEmpty()) {
            script = new ScriptRunner(simulator, run.script(), console, run.linkTimeout(), keysBySubscription);
            scriptThread = new Thread(script, "wakeline-simulator-script");
            scriptThread.setDaemon(true);
            scriptThread.start();
        }
        Progress progress = new Progress(simulator.stats(), System.nanoTime());
        long intervalNanos = run.summaryInterval().toNanos();
        boolean bounded = !run.duration().isZero();
        long end = System.nanoTime() + run.duration().toNanos();
        long lineDue = System.nanoTime() + intervalNanos;
        while (true) {
            long sleepNanos = Math.min(lineDue, bounded ? end : Long.MAX_VALUE) - System.nanoTime();
            if (run.stopAfterScript()) {
                // look at the script often, so the run ends soon after it does
                sleepNanos = Math.min(sleepNanos, TimeUnit.MILLISECONDS.toNanos(SCRIPT_POLL_MILLIS));
            }
            if (sleepNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(sleepNanos);
            }
            boolean scriptDone = run.stopAfterScript() && script != null && script.finished();
            if (System.nanoTime() - lineDue < 0 && !scriptDone && !(bounded && System.nanoTime() - end >= 0)) {
                continue;
            }
            lineDue = System.nanoTime() + intervalNanos;
            if (run.progress()) {
                SimulatorStats stats = simulator.stats();
                String left = bounded ? "left=" + leftSeconds(end) + "s/" + run.duration().toSeconds() + "s " : "";
                console.progress(left + progress.line(stats, System.nanoTime(), terminal, script));
            }
            if (scriptDone || (bounded && System.nanoTime() - end >= 0)) {
                break;
            }
        }
        if (scriptThread != null) {
            scriptThread.interrupt();
            scriptThread.join(TimeUnit.SECONDS.toMillis(5));
        }
        finish.run();
        Runtime.getRuntime().removeShutdownHook(hook);
        return script != null && script.failures() > 0 ? EXIT_SCRIPT_FAILED : EXIT_OK;
    }

    private static long leftSeconds(long endNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toSeconds(endNanos - System.nanoTime() + 999_999_999L));
    }

    /** Rates since the previous line: link attaches (Welcomes) and notifications received per second. */
    private static final class Progress {
        private SimulatorStats previous;
        private long previousNanos;

        Progress(SimulatorStats first, long nowNanos) {
            this.previous = first;
            this.previousNanos = nowNanos;
        }

        String line(SimulatorStats stats, long nowNanos, boolean terminal, ScriptRunner script) {
            double seconds = Math.max(1e-9, (nowNanos - previousNanos) / 1e9);
            double attaches = (stats.handshakesCompleted() - previous.handshakesCompleted()) / seconds;
            double received = (stats.notificationsReceived() - previous.notificationsReceived()) / seconds;
            previous = stats;
            previousNanos = nowNanos;
            String scriptPart = script == null ? "" : " script=" + script.stepsDone() + "/" + script.stepCount()
                    + (script.failures() > 0 ? "(" + script.failures() + " failed)" : "");
            if (terminal) {
                // short enough for one terminal row, so that \r rewrites all of it
                return String.format(Locale.ROOT, "connected=%d/%d linked=%d attaches/s=%.1f received=%d (%.1f/s) acked=%d errors=%d%s",
                        stats.connected(), stats.devices(), stats.linked(), attaches, stats.notificationsReceived(), received,
                        stats.acksSent(), stats.errorsReceived(), scriptPart);
            }
            return String.format(Locale.ROOT, "attaches/s=%.1f received/s=%.1f ", attaches, received)
                    + stats.summaryLine() + scriptPart;
        }
    }
}
