package io.wakeline.report;

import java.util.List;
import java.util.Objects;

/**
 * Several series over one time axis in seconds (relative to whatever the report says is zero, e.g. the start of
 * the measured phase; negative values are fine).
 *
 * @param title   shown above the chart
 * @param unit    of the y axis, e.g. {@code ms} or {@code msg/s}
 * @param seconds the x value of each point, ascending
 * @param series  one value per x value each
 * @param markers vertical lines to draw
 */
public record TimeSeriesChart(String title, String unit, List<Double> seconds, List<Series> series, List<Marker> markers) {
    public TimeSeriesChart {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(unit, "unit");
        seconds = List.copyOf(seconds);
        series = List.copyOf(series);
        markers = List.copyOf(markers);
        for (Series s : series) {
            if (s.values().size() != seconds.size()) {
                throw new IllegalArgumentException("series " + s.label() + " has " + s.values().size()
                        + " values for " + seconds.size() + " points in time");
            }
        }
        for (int i = 1; i < seconds.size(); i++) {
            if (seconds.get(i) < seconds.get(i - 1)) {
                throw new IllegalArgumentException("points in time must ascend: " + seconds.get(i - 1) + " then " + seconds.get(i));
            }
        }
    }
}
