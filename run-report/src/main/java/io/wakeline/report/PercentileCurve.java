package io.wakeline.report;

import java.util.List;
import java.util.Objects;

/**
 * A latency distribution as HdrHistogram prints it: the value at each percentile (0 ≤ p &lt; 100, ascending).
 * {@link DistributionChart} draws it against {@code 1/(1-p)} on a log axis, so the tail (99%, 99.9%, …) gets
 * as much room as the median.
 */
public record PercentileCurve(String label, List<Double> percentiles, List<Double> values) {
    public PercentileCurve {
        Objects.requireNonNull(label, "label");
        percentiles = List.copyOf(percentiles);
        values = List.copyOf(values);
        if (percentiles.size() != values.size()) {
            throw new IllegalArgumentException(label + ": " + percentiles.size() + " percentiles for " + values.size() + " values");
        }
        for (int i = 0; i < percentiles.size(); i++) {
            double p = percentiles.get(i);
            if (!(p >= 0 && p < 100) || (i > 0 && p < percentiles.get(i - 1))) {
                throw new IllegalArgumentException(label + ": percentiles must ascend within [0, 100): " + p);
            }
        }
    }
}
