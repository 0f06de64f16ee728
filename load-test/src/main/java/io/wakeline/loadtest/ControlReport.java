package io.wakeline.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.wakeline.report.SummaryRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * What one {@code --scenario control} run did, measured phase only. Latencies run from each message's
 * intended send time: {@code accept} to its 2xx answer, {@code deliver} / {@code ack} to the arrival of its
 * DELIVERED / ACKED receipt on the app's event stream. Rates divide by the measured duration (accepted) or by
 * the time from the measured start to the last such receipt (delivered, acked), so a backlog shows as a rate
 * below the send rate.
 *
 * @param sent               control messages sent (first attempts, measured phase)
 * @param accepted           sends answered 2xx
 * @param delivered          accepted messages whose DELIVERED receipt arrived
 * @param acked              accepted messages whose ACKED receipt arrived
 * @param expired            accepted messages whose EXPIRED receipt arrived
 * @param rejected           accepted messages whose REJECTED receipt arrived
 * @param unsettled          accepted messages with no final receipt when the drain ended
 * @param transportErrors    sends with no HTTP answer
 * @param skipped            sends due while {@code maxInFlight} were outstanding (not sent)
 * @param unmatchedReceipts  receipts naming no message of this run (other runs' history, or stash overflow)
 * @param streamReconnects   event stream reconnections (each resumed with Last-Event-ID)
 */
public record ControlReport(
        List<String> commandLine,
        RunSettings settings,
        double targetRatePerSecond,
        double measuredSeconds,
        long sent,
        long accepted,
        long delivered,
        long acked,
        long expired,
        long rejected,
        long unsettled,
        long transportErrors,
        long skipped,
        long unmatchedReceipts,
        long streamReconnects,
        SortedMap<Integer, Long> httpStatusCounts,
        double acceptedPerSecond,
        double deliveredPerSecond,
        double ackedPerSecond,
        LatencySummary acceptLatency,
        LatencySummary deliverLatency,
        LatencySummary ackLatency) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String ROW = "%-28s %s%n";

    public ControlReport {
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

    public static ControlReport fromJson(String json) throws IOException {
        return JSON.readValue(json, ControlReport.class);
    }

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
        row(table, "scenario", "control: " + settings.channelCount() + " control channels of " + settings.appId());
        row(table, "HTTP client", settings.client() + ", " + settings.httpVersion() + " over " + settings.connections()
                + " connection(s), max in flight " + settings.maxInFlight());
        row(table, "target rate", format("%.1f msg/s for %.3f s", targetRatePerSecond, measuredSeconds));
        row(table, "warm-up (excluded)", format("%.3f s before the measured phase, in no figure", settings.warmupSeconds()));
        row(table, "sent / accepted", sent + " / " + accepted + " (transport errors " + transportErrors
                + ", skipped " + skipped + ")");
        row(table, "by HTTP status", httpStatusCounts.isEmpty() ? "none" : httpStatusCounts.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
        row(table, "delivered / acked", delivered + " / " + acked + " (expired " + expired + ", rejected " + rejected
                + ", unsettled " + unsettled + ")");
        row(table, "rates msg/s", format("accepted %.1f  delivered %.1f  acked %.1f", acceptedPerSecond,
                deliveredPerSecond, ackedPerSecond));
        row(table, "accept latency ms", latency(acceptLatency));
        row(table, "deliver latency ms", latency(deliverLatency));
        row(table, "ack latency ms", latency(ackLatency));
        row(table, "event stream", "reconnects " + streamReconnects + ", unmatched receipts " + unmatchedReceipts);
        return table;
    }

    private static String latency(LatencySummary l) {
        return format("p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (n=%d)", l.p50Ms(), l.p90Ms(), l.p99Ms(),
                l.p999Ms(), l.maxMs(), l.count());
    }

    private static void row(List<SummaryRow> table, String label, String value) {
        table.add(new SummaryRow(label, value));
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
