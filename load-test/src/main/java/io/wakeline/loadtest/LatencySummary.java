package io.wakeline.loadtest;

import org.HdrHistogram.Histogram;

/**
 * Latency from each notification's intended send time to its HTTP answer (so time spent behind
 * schedule counts; no coordinated omission), in milliseconds. {@code count} answers were recorded.
 */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {

    private static final double MICROS_PER_MILLI = 1_000.0;

    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(micros.getTotalCount(),
                millis(micros.getValueAtPercentile(50.0)),
                millis(micros.getValueAtPercentile(90.0)),
                millis(micros.getValueAtPercentile(99.0)),
                millis(micros.getValueAtPercentile(99.9)),
                millis(micros.getMaxValue()));
    }

    private static double millis(long micros) {
        return micros / MICROS_PER_MILLI;
    }
}
