package io.wakeline.broker.metrics;

import java.time.Duration;

/**
 * Histogram bucket bounds, fixed so that each latency histogram exports a known, small number of series
 * (Micrometer's percentile histogram would export ~70 buckets per series). Prometheus computes quantiles from
 * them with {@code histogram_quantile}.
 */
final class Buckets {
    private Buckets() {
    }

    /** App-server requests and journal writes: 1 ms to 10 s. */
    static final Duration[] REQUEST = millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000);

    /**
     * The guaranteed path: a device that is asleep or offline takes a message minutes or hours after it was
     * accepted, so the bounds reach an hour.
     */
    static final Duration[] CONTROL = millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
            60_000, 300_000, 900_000, 3_600_000);

    /** Rows per journal transaction, up to the plugin's batchSize (persistence.conf). */
    static final double[] BATCH_ROWS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000};

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }
}
