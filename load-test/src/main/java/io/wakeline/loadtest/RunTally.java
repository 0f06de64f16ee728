package io.wakeline.loadtest;

import java.net.http.HttpClient;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Counts for one phase of a run (warm-up or measured). Recording takes a lock: at load-test rates a
 * short critical section costs nothing measurable, and it lets {@link #close()} take a consistent
 * snapshot while late answers are still arriving; answers after the close are ignored, since the
 * report already counts them as unfinished.
 */
final class RunTally {

    private static final int SIGNIFICANT_DIGITS = 3;
    // Causes are keyed by exception and message; bound the map in case messages carry varying detail.
    private static final int MAX_DISTINCT_CAUSES = 20;
    private static final int MAX_CAUSE_CHARS = 120;
    static final String OTHER_CAUSES = "(other causes)";

    /** What a phase saw; {@code sent = answered + transportErrors + tokenUnavailable + unfinished}. */
    record Totals(long sent, long skipped, long answered, long transportErrors,
            SortedMap<String, Long> transportErrorCauses, long tokenUnavailable, long unfinished, long retries,
            SortedMap<Integer, Long> byHttpStatus, WnsStatusCounts byWnsStatus,
            Map<HttpClient.Version, Long> byHttpVersion, LatencySummary latency) {
    }

    private final Histogram latencyMicros = new Histogram(SIGNIFICANT_DIGITS);
    private final SortedMap<Integer, Long> byHttpStatus = new TreeMap<>();
    private final SortedMap<String, Long> transportErrorCauses = new TreeMap<>();
    private final Map<WnsStatus, Long> byWnsStatus = new EnumMap<>(WnsStatus.class);
    private final Map<HttpClient.Version, Long> byHttpVersion = new EnumMap<>(HttpClient.Version.class);
    private long sent;
    private long skipped;
    private long answered;
    private long transportErrors;
    private long tokenUnavailable;
    private long unrecognizedWnsStatus;
    private long retries;
    private boolean closed;

    synchronized void sent() {
        sent++;
    }

    synchronized void skipped() {
        skipped++;
    }

    synchronized void record(SendOutcome outcome, long latencyNanos) {
        if (closed) {
            return;
        }
        retries += outcome.attempts() - 1;
        if (outcome instanceof SendOutcome.Answered answer) {
            answered++;
            byHttpStatus.merge(answer.statusCode(), 1L, Long::sum);
            byHttpVersion.merge(answer.version(), 1L, Long::sum);
            answer.wnsStatus().ifPresent(this::countWnsStatus);
            latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
        } else if (outcome instanceof SendOutcome.TransportFailed failed) {
            transportErrors++;
            countCause(failed.cause());
        } else if (outcome instanceof SendOutcome.TokenUnavailable) {
            tokenUnavailable++;
        }
    }

    synchronized Totals close() {
        closed = true;
        long unfinished = sent - answered - transportErrors - tokenUnavailable;
        WnsStatusCounts wns = new WnsStatusCounts(
                byWnsStatus.getOrDefault(WnsStatus.RECEIVED, 0L),
                byWnsStatus.getOrDefault(WnsStatus.DROPPED, 0L),
                byWnsStatus.getOrDefault(WnsStatus.CHANNEL_THROTTLED, 0L),
                unrecognizedWnsStatus);
        return new Totals(sent, skipped, answered, transportErrors,
                Collections.unmodifiableSortedMap(new TreeMap<>(transportErrorCauses)), tokenUnavailable, unfinished,
                retries,
                Collections.unmodifiableSortedMap(new TreeMap<>(byHttpStatus)), wns,
                Collections.unmodifiableMap(new EnumMap<>(byHttpVersion)), LatencySummary.of(latencyMicros));
    }

    private void countCause(Throwable cause) {
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        String key = cause.getClass().getSimpleName() + message;
        if (key.length() > MAX_CAUSE_CHARS) {
            key = key.substring(0, MAX_CAUSE_CHARS);
        }
        if (!transportErrorCauses.containsKey(key) && transportErrorCauses.size() >= MAX_DISTINCT_CAUSES) {
            key = OTHER_CAUSES;
        }
        transportErrorCauses.merge(key, 1L, Long::sum);
    }

    private void countWnsStatus(String headerValue) {
        Optional<WnsStatus> status = WnsStatus.fromWire(headerValue);
        if (status.isPresent()) {
            byWnsStatus.merge(status.get(), 1L, Long::sum);
        } else {
            unrecognizedWnsStatus++;
        }
    }
}
