package io.wakeline.broker.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The node's live rates: totals of a few counters sampled at a steady interval, turned into per-second rates
 * between consecutive samples. Keeps the last {@code capacity} rates.
 */
final class RateHistory {
    /** Rates per second over the interval that ended at {@code atMillis}, in the order of the sampled totals. */
    record Point(long atMillis, double[] perSecond) {
    }

    private final int capacity;
    private final Deque<Point> points = new ArrayDeque<>();
    private long lastAtMillis = -1;
    private double[] lastTotals;

    RateHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Adds the totals read at {@code atMillis}; a counter that went down (a restart) counts from zero. */
    void sample(long atMillis, double... totals) {
        if (lastTotals != null && atMillis > lastAtMillis && totals.length == lastTotals.length) {
            double seconds = (atMillis - lastAtMillis) / 1000.0;
            double[] rates = new double[totals.length];
            for (int i = 0; i < totals.length; i++) {
                double delta = totals[i] >= lastTotals[i] ? totals[i] - lastTotals[i] : totals[i];
                rates[i] = delta / seconds;
            }
            points.addLast(new Point(atMillis, rates));
            while (points.size() > capacity) {
                points.removeFirst();
            }
        }
        lastAtMillis = atMillis;
        lastTotals = totals.clone();
    }

    List<Point> points() {
        return new ArrayList<>(points);
    }
}
