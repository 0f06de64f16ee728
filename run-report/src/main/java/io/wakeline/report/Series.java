package io.wakeline.report;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One line of a {@link TimeSeriesChart}: a value per point of the chart's x axis, {@code null} where there is none
 * (drawn as a gap).
 */
public record Series(String label, List<Double> values) {
    public Series {
        Objects.requireNonNull(label, "label");
        // null marks a gap, so List.copyOf (which rejects nulls) cannot be used
        values = Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }
}
