package io.wakeline.report;

import java.util.Objects;

/** A dashed vertical line across a {@link TimeSeriesChart} at {@code atSeconds}, e.g. the end of a warm-up. */
public record Marker(double atSeconds, String label) {
    public Marker {
        Objects.requireNonNull(label, "label");
    }
}
