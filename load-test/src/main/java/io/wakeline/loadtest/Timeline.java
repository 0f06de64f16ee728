package io.wakeline.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A run's counts and latencies per fixed interval: what the live progress line prints and what the HTML report
 * charts. Recording is lock-free and cheap (an atomic add, an HdrHistogram {@link Recorder} write), so the
 * senders can call it on every send and answer; a daemon thread closes one {@link Sample} per interval.
 *
 * <p>Times are relative to the start of the measured phase: warm-up samples have negative times and
 * {@code warmup = true}.
 *
 * @param <C> the run's counters (one slot each)
 * @param <L> the run's latencies (one histogram each)
 */
public final class Timeline<C extends Enum<C>, L extends Enum<L>> {
    private static final int SIGNIFICANT_DIGITS = 2;
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double MICROS_PER_MILLI = 1_000.0;
    /** One day of one-second samples: a run is at most {@link LoadTestConfig#MAX_RUN} long. */
    private static final int MAX_SAMPLES = 86_400 + 16;

    /** Latency of one interval, in ms; zeros when nothing was recorded. */
    public record Latency(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
        static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0);
            }
            return new Latency(micros.getTotalCount(), micros.getValueAtPercentile(50) / MICROS_PER_MILLI,
                    micros.getValueAtPercentile(90) / MICROS_PER_MILLI, micros.getValueAtPercentile(99) / MICROS_PER_MILLI,
                    micros.getMaxValue() / MICROS_PER_MILLI);
        }
    }

    /**
     * One interval.
     *
     * @param endSeconds    end of the interval, seconds since the measured phase began (negative in the warm-up)
     * @param lengthSeconds how long the interval really was (the last one is shorter)
     * @param warmup        whether the interval ended within the warm-up
     * @param counts        by counter ordinal, events within the interval
     * @param latencies     by latency ordinal
     * @param inFlight      sends outstanding at the end of the interval
     */
    public record Sample(double endSeconds, double lengthSeconds, boolean warmup, long[] counts, Latency[] latencies,
                         int inFlight) {
        public long count(Enum<?> counter) {
            return counts[counter.ordinal()];
        }

        public double perSecond(Enum<?> counter) {
            return lengthSeconds > 0 ? counts[counter.ordinal()] / lengthSeconds : 0;
        }

        public Latency latency(Enum<?> latency) {
            return latencies[latency.ordinal()];
        }
    }

    private final Class<C> counters;
    private final Class<L> latencyKinds;
    private final Duration interval;
    private final Consumer<Sample> onSample;
    private final AtomicLongArray totals;
    private final long[] lastTotals;
    private final Recorder[] recorders;
    private final List<Sample> samples = new ArrayList<>();
    private ScheduledExecutorService sampler;
    private IntSupplier inFlight = () -> 0;
    private long measuredStartNanos;
    private long lastSampleNanos;

    /**
     * @param interval  sample length
     * @param onSample  called on the sampling thread after each sample (e.g. to print it); must not block long
     */
    public Timeline(Class<C> counters, Class<L> latencies, Duration interval, Consumer<Sample> onSample) {
        this.counters = counters;
        this.latencyKinds = latencies;
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 10) {
            throw new IllegalArgumentException("interval must be at least 10 ms, got " + interval);
        }
        this.onSample = Objects.requireNonNull(onSample, "onSample");
        int counterCount = counters.getEnumConstants().length;
        this.totals = new AtomicLongArray(counterCount);
        this.lastTotals = new long[counterCount];
        this.recorders = new Recorder[latencies.getEnumConstants().length];
        for (int i = 0; i < recorders.length; i++) {
            recorders[i] = new Recorder(SIGNIFICANT_DIGITS);
        }
    }

    public Class<C> counters() {
        return counters;
    }

    public Class<L> latencies() {
        return latencyKinds;
    }

    public Duration interval() {
        return interval;
    }

    public void count(C counter) {
        totals.incrementAndGet(counter.ordinal());
    }

    public void latencyMicros(L latency, long micros) {
        recorders[latency.ordinal()].recordValue(Math.max(0, micros));
    }

    /** Starts sampling; the measured phase begins {@code warmup} after {@code startNanos}. */
    synchronized void start(long startNanos, Duration warmup, IntSupplier inFlight) {
        if (sampler != null) {
            throw new IllegalStateException("a timeline records one run");
        }
        this.inFlight = inFlight;
        this.measuredStartNanos = startNanos + warmup.toNanos();
        this.lastSampleNanos = startNanos;
        sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "load-test-timeline");
            thread.setDaemon(true);
            return thread;
        });
        long period = interval.toNanos();
        long firstDelay = Math.max(0, startNanos + period - System.nanoTime());
        sampler.scheduleAtFixedRate(this::sample, firstDelay, period, TimeUnit.NANOSECONDS);
    }

    /** Stops sampling after one last (possibly shorter) sample; the samples are complete from then on. */
    void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = sampler;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            running.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finalSample();
    }

    /** The rest after the last full interval; a sliver without a single event is left out (it would chart as a drop to 0). */
    private synchronized void finalSample() {
        boolean sliver = System.nanoTime() - lastSampleNanos < interval.toNanos() / 10;
        boolean anyEvent = false;
        for (int i = 0; i < lastTotals.length; i++) {
            anyEvent |= totals.get(i) != lastTotals[i];
        }
        if (!sliver || anyEvent || samples.isEmpty()) {
            sample();
        }
    }

    /** Every sample so far, oldest first. */
    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private synchronized void sample() {
        long now = System.nanoTime();
        double length = (now - lastSampleNanos) / NANOS_PER_SECOND;
        if (length <= 0 || samples.size() >= MAX_SAMPLES) {
            return;
        }
        lastSampleNanos = now;
        long[] counts = new long[lastTotals.length];
        for (int i = 0; i < counts.length; i++) {
            long total = totals.get(i);
            counts[i] = total - lastTotals[i];
            lastTotals[i] = total;
        }
        Latency[] latencies = new Latency[recorders.length];
        for (int i = 0; i < recorders.length; i++) {
            latencies[i] = Latency.of(recorders[i].getIntervalHistogram());
        }
        double end = (now - measuredStartNanos) / NANOS_PER_SECOND;
        Sample sample = new Sample(end, length, now - measuredStartNanos <= 0, counts, latencies, inFlight.getAsInt());
        samples.add(sample);
        try {
            onSample.accept(sample);
        } catch (RuntimeException e) {
            // a broken progress printer must not stop the sampling the report needs
            System.getLogger(Timeline.class.getName()).log(System.Logger.Level.WARNING, "progress printer failed", e);
        }
    }
}
