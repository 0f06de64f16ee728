package io.wakeline.report;

import java.util.Objects;

/** One line of a report's summary table. */
public record SummaryRow(String label, String value) {
    public SummaryRow {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(value, "value");
    }
}
