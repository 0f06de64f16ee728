package io.wakeline.loadtest;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The live progress line, one per {@link Timeline} sample: rewritten in place ({@code \r}, then erase to the end
 * of the line) on a terminal, one plain line each otherwise (logs, CI, pipes).
 */
final class RunProgress {
    private static final String ERASE_TO_END_OF_LINE = "\u001b[K";

    private final PrintStream out;
    private final boolean terminal;
    private final double measuredSeconds;
    private final Function<Timeline.Sample, String> figures;
    private boolean linePending;

    /**
     * @param terminal whether {@code out} is a terminal ({@code System.console() != null})
     * @param figures  the scenario's part of the line
     */
    RunProgress(PrintStream out, boolean terminal, Duration measured, Function<Timeline.Sample, String> figures) {
        this.out = out;
        this.terminal = terminal;
        this.measuredSeconds = measured.toMillis() / 1_000.0;
        this.figures = figures;
    }

    synchronized void print(Timeline.Sample sample) {
        String phase = sample.warmup() ? "warm-up" : sample.endSeconds() > measuredSeconds ? "drain" : "measured";
        String line = String.format(Locale.ROOT, "%7.1fs %-8s ", sample.endSeconds(), phase) + figures.apply(sample);
        if (terminal) {
            out.print("\r" + line + ERASE_TO_END_OF_LINE);
            linePending = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the line being rewritten, so what follows starts on a line of its own. */
    synchronized void finish() {
        if (linePending) {
            out.println();
            linePending = false;
        }
    }

    /** sent and answered per second, in flight, p99 of the interval, errors of the interval. */
    static String raw(Timeline.Sample s) {
        long errors = s.count(LoadTest.Count.TRANSPORT_ERROR) + s.count(LoadTest.Count.NO_TOKEN)
                + s.count(LoadTest.Count.OTHER_ANSWER);
        return String.format(Locale.ROOT, "sent %8.1f/s  answered %8.1f/s  in flight %5d  p99 %9.3f ms  errors %d  skipped %d",
                s.perSecond(LoadTest.Count.SENT), s.perSecond(LoadTest.Count.ANSWERED), s.inFlight(),
                s.latency(LoadTest.Timing.ANSWER).p99Ms(), errors, s.count(LoadTest.Count.SKIPPED));
    }

    /** sent, accepted, delivered and acked per second, in flight, p99 of accept and ack, errors. */
    static String control(Timeline.Sample s) {
        long errors = s.count(ControlLoadTest.Count.TRANSPORT_ERROR) + s.count(ControlLoadTest.Count.REFUSED)
                + s.count(ControlLoadTest.Count.EXPIRED) + s.count(ControlLoadTest.Count.REJECTED);
        return String.format(Locale.ROOT,
                "sent %8.1f/s  accepted %8.1f/s  delivered %8.1f/s  acked %8.1f/s  in flight %5d  p99 accept %8.3f ms  ack %8.3f ms  errors %d  skipped %d",
                s.perSecond(ControlLoadTest.Count.SENT), s.perSecond(ControlLoadTest.Count.ACCEPTED),
                s.perSecond(ControlLoadTest.Count.DELIVERED), s.perSecond(ControlLoadTest.Count.ACKED), s.inFlight(),
                s.latency(ControlLoadTest.Timing.ACCEPT).p99Ms(), s.latency(ControlLoadTest.Timing.ACK).p99Ms(), errors,
                s.count(ControlLoadTest.Count.SKIPPED));
    }
}
