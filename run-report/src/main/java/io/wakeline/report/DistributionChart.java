package io.wakeline.report;

import java.util.List;
import java.util.Objects;

/** One or more {@link PercentileCurve}s on one chart (e.g. accept, deliver and ack latency of the same run). */
public record DistributionChart(String title, String unit, List<PercentileCurve> curves) {
    public DistributionChart {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(unit, "unit");
        curves = List.copyOf(curves);
    }
}
