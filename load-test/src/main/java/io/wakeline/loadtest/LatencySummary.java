package io.wakeline.loadtest;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Latency from each notification's intended send time to its HTTP answer (so time spent behind
 * schedule counts; no coordinated omission), in milliseconds. {@code count} answers were recorded.
 * {@code distribution} is the whole percentile curve (HdrHistogram's percentile iteration, five steps per
 * halving of the distance to 100%), for the HTML report's chart; absent in reports made before it existed.
 */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                             List<PercentilePoint> distribution) {

    private static final double MICROS_PER_MILLI = 1_000.0;
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    /** The latency at or below which {@code percentile} % of the values lie. */
    public record PercentilePoint(double percentile, double ms) {
    }

    public LatencySummary {
        distribution = distribution == null ? List.of() : List.copyOf(distribution);
    }

    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, List.of());
        }
        List<PercentilePoint> curve = new ArrayList<>();
        for (HistogramIterationValue step : micros.percentiles(TICKS_PER_HALF_DISTANCE)) {
            double percentile = step.getPercentileLevelIteratedTo();
            if (percentile >= 100.0) {
                break; // the iteration's last step is the maximum, reported on its own
            }
            curve.add(new PercentilePoint(percentile, millis(step.getValueIteratedTo())));
        }
        return new LatencySummary(micros.getTotalCount(),
                millis(micros.getValueAtPercentile(50.0)),
                millis(micros.getValueAtPercentile(90.0)),
                millis(micros.getValueAtPercentile(99.0)),
                millis(micros.getValueAtPercentile(99.9)),
                millis(micros.getMaxValue()),
                curve);
    }

    private static double millis(long micros) {
        return micros / MICROS_PER_MILLI;
    }
}
