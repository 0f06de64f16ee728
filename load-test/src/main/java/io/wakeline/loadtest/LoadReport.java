package io.wakeline.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import io.wakeline.report.SummaryRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * What one run did. All counts are for the measured phase only (warm-up sends are in
 * {@code warmupSent} alone), except {@code tokenRefreshes}, which covers the whole run.
 *
 * <p>Every measured send ends in exactly one of: an HTTP answer ({@code completed}), a transport
 * error, no token, or still outstanding when the drain timed out ({@code unfinished}), so
 * {@code sent = completed + transportErrors + tokenUnavailable + unfinished}. Sends due while
 * {@code maxInFlight} were outstanding are {@code skipped} and not sent at all.
 *
 * @param commandLine              how the run was invoked (secrets redacted)
 * @param settings                 the configuration as resolved for this run
 * @param targetRatePerSecond      the configured open-loop rate
 * @param achievedSendRatePerSecond measured sends per second of the measured phase's wall time
 * @param measuredSeconds          wall time of the measured phase (longer than configured if the scheduler lagged)
 * @param sent                     notifications sent (first attempt; resends after 401 are in {@code retriesAfterUnauthorized})
 * @param completed                sends that got an HTTP answer (any status)
 * @param transportErrors          sends that got no HTTP answer (connect, TLS, reset, timeout)
 * @param transportErrorCauses     transport errors by exception and message (at most 20 kinds, then "(other causes)")
 * @param tokenUnavailable         sends abandoned because no access token could be had
 * @param unfinished               sends still outstanding when the drain timeout ended the run
 * @param skipped                  sends due while {@code maxInFlight} were outstanding
 * @param retriesAfterUnauthorized resends after a 401 and a token renewal
 * @param tokenRefreshes           token fetches after the first one, whole run
 * @param warmupSent               sends during warm-up, not counted anywhere else
 * @param httpStatusCounts         final answers by HTTP status
 * @param wnsStatusCounts          final answers by X-WNS-Status
 * @param httpVersionCounts        final answers by the HTTP version actually negotiated
 * @param latency                  intended send time to final answer, over {@code completed}
 */
public record LoadReport(
        List<String> commandLine,
        RunSettings settings,
        double targetRatePerSecond,
        double achievedSendRatePerSecond,
        double measuredSeconds,
        long sent,
        long completed,
        long transportErrors,
        SortedMap<String, Long> transportErrorCauses,
        long tokenUnavailable,
        long unfinished,
        long skipped,
        long retriesAfterUnauthorized,
        long tokenRefreshes,
        long warmupSent,
        SortedMap<Integer, Long> httpStatusCounts,
        WnsStatusCounts wnsStatusCounts,
        Map<HttpClient.Version, Long> httpVersionCounts,
        LatencySummary latency) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String ROW = "%-28s %s%n";

    public LoadReport {
        commandLine = List.copyOf(commandLine);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a report is plain values and always serializes", e);
        }
    }

    public void writeJson(Path file) throws IOException {
        Files.writeString(file, toJson());
    }

    public static LoadReport fromJson(String json) throws IOException {
        return JSON.readValue(json, LoadReport.class);
    }

    /** The report for people: one aligned row per figure. */
    public String toTable() {
        StringBuilder table = new StringBuilder();
        for (SummaryRow row : summaryRows()) {
            table.append(format(ROW, row.label(), row.value()));
        }
        return table.toString();
    }

    /** The figures as label and value, in the table's order (also the HTML report's summary). */
    public List<SummaryRow> summaryRows() {
        List<SummaryRow> table = new ArrayList<>();
        row(table, "command line", String.join(" ", commandLine));
        row(table, "channels", settings.channelCount() + " of " + settings.appId() + " from " + settings.channelsFile());
        row(table, "broker token URL", settings.tokenUrl());
        row(table, "HTTP version (preferred)", settings.httpVersion() + " over " + settings.connections()
                + " connection(s) of the " + settings.client() + " client, payload " + settings.payloadBytes()
                + " B, max in flight " + settings.maxInFlight());
        row(table, "target rate", format("%.1f msg/s", targetRatePerSecond));
        row(table, "achieved send rate", format("%.1f msg/s", achievedSendRatePerSecond));
        row(table, "measured duration", format("%.3f s (after a %.3f s warm-up kept out of every figure, %d sent then)", measuredSeconds,
                settings.warmupSeconds(), warmupSent));
        row(table, "sent", Long.toString(sent));
        row(table, "completed (HTTP answer)", Long.toString(completed));
        row(table, "transport errors", transportErrors == 0 ? "0"
                : transportErrors + " (" + counts(transportErrorCauses) + ")");
        row(table, "no access token", Long.toString(tokenUnavailable));
        row(table, "unfinished at drain end", Long.toString(unfinished));
        row(table, "skipped (in-flight bound)", Long.toString(skipped));
        row(table, "resent after 401", Long.toString(retriesAfterUnauthorized));
        row(table, "token refreshes", Long.toString(tokenRefreshes));
        row(table, "by HTTP status", counts(httpStatusCounts));
        row(table, "by X-WNS-Status", format("received %d, dropped %d, channelthrottled %d, unrecognized %d",
                wnsStatusCounts.received(), wnsStatusCounts.dropped(), wnsStatusCounts.channelThrottled(),
                wnsStatusCounts.unrecognized()));
        row(table, "by negotiated HTTP version", counts(httpVersionCounts));
        row(table, "latency ms (from intended)", format("p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (n=%d)",
                latency.p50Ms(), latency.p90Ms(), latency.p99Ms(), latency.p999Ms(), latency.maxMs(), latency.count()));
        return table;
    }

    private static void row(List<SummaryRow> table, String label, String value) {
        table.add(new SummaryRow(label, value));
    }

    private static String counts(Map<?, Long> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
