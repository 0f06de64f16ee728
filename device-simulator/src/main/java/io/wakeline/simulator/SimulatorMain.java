package io.wakeline.simulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Command-line entry point: simulates a fleet against a broker and prints a summary line every interval.
 *
 * <pre>
 * java -cp 'device-simulator/target/wakeline-device-simulator-0.1.0-SNAPSHOT.jar:device-simulator/target/lib/*' \
 *     io.wakeline.simulator.SimulatorMain --port 7400 --devices 10000 \
 *     --apps ms-app://S-1-15-2-1 --connect-rate 2000 --channel-file channels.jsonl --duration-seconds 600
 * </pre>
 *
 * See {@link SimulatorCommandLine#USAGE} (or {@code --help}) for every flag. With {@code --duration-seconds 0}
 * (the default) it runs until interrupted (Ctrl-C, SIGTERM); either way the links are closed and a final
 * summary printed on the way out.
 */
public final class SimulatorMain {
    private static final int EXIT_USAGE = 2;

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatorCommandLine commandLine = SimulatorCommandLine.parse(List.of(args), System.getenv());
        if (commandLine instanceof SimulatorCommandLine.ShowHelp) {
            System.out.print(SimulatorCommandLine.USAGE);
            return;
        }
        if (commandLine instanceof SimulatorCommandLine.Invalid invalid) {
            System.err.println(invalid.problem());
            System.err.print(SimulatorCommandLine.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        SimulatorCommandLine.Run run = (SimulatorCommandLine.Run) commandLine;
        DeviceSimulator simulator = DeviceSimulator.start(run.config());
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                simulator.close();
                System.out.println("final " + simulator.stats().summaryLine());
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(finish, "wakeline-simulator-shutdown"));

        long intervalNanos = run.summaryInterval().toNanos();
        boolean bounded = !run.duration().isZero();
        long end = System.nanoTime() + run.duration().toNanos();
        while (true) {
            long sleepNanos = bounded ? Math.min(intervalNanos, end - System.nanoTime()) : intervalNanos;
            if (sleepNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(sleepNanos);
            }
            System.out.println(elapsedPrefix(run.duration(), bounded, end) + simulator.stats().summaryLine());
            if (bounded && System.nanoTime() - end >= 0) {
                break;
            }
        }
        finish.run();
    }

    private static String elapsedPrefix(Duration duration, boolean bounded, long endNanos) {
        if (!bounded) {
            return "";
        }
        long leftSeconds = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(endNanos - System.nanoTime() + 999_999_999L));
        return "left=" + leftSeconds + "s/" + duration.toSeconds() + "s ";
    }
}
