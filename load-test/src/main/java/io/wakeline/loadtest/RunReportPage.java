package io.wakeline.loadtest;

import io.wakeline.report.DistributionChart;
import io.wakeline.report.HtmlReport;
import io.wakeline.report.Marker;
import io.wakeline.report.PercentileCurve;
import io.wakeline.report.Series;
import io.wakeline.report.SummaryRow;
import io.wakeline.report.TimeSeriesChart;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A load-test run as one HTML file ({@link HtmlReport}): the report's table, then latency percentiles per
 * interval, rates sent / answered (or accepted / delivered / acked) and answers by outcome per interval, sends in
 * flight, and the latency distribution of the measured phase. Warm-up intervals are drawn left of a dashed line at
 * 0 s; every figure in the table and the distribution is of the measured phase only.
 */
final class RunReportPage {

    private RunReportPage() {
    }

    static HtmlReport raw(LoadReport report, List<Timeline.Sample> samples) {
        RunSettings settings = report.settings();
        List<Double> seconds = seconds(samples);
        List<Marker> markers = markers(settings);
        HtmlReport.Builder page = start("Wakeline load test: raw notifications", report.summaryRows(), settings,
                report.warmupSent(), report.commandLine());
        page.timeSeries(latencyChart("Latency per interval, intended send time to HTTP answer", seconds, markers,
                samples, LoadTest.Timing.ANSWER));
        page.timeSeries(new TimeSeriesChart("Rates", "msg/s", seconds, List.of(
                rate(samples, LoadTest.Count.SENT, LoadTest.Count.SENT.label()),
                rate(samples, LoadTest.Count.ANSWERED, LoadTest.Count.ANSWERED.label()),
                rate(samples, LoadTest.Count.SKIPPED, LoadTest.Count.SKIPPED.label())), markers));
        List<Series> outcomes = new ArrayList<>();
        for (LoadTest.Count count : List.of(LoadTest.Count.RECEIVED, LoadTest.Count.DROPPED, LoadTest.Count.THROTTLED,
                LoadTest.Count.OTHER_ANSWER, LoadTest.Count.TRANSPORT_ERROR, LoadTest.Count.NO_TOKEN)) {
            outcomes.add(rate(samples, count, count.label()));
        }
        page.timeSeries(new TimeSeriesChart("Answers by outcome", "msg/s", seconds, outcomes, markers));
        page.timeSeries(inFlightChart(seconds, markers, samples, settings));
        page.distribution(new DistributionChart("Latency distribution, measured phase (intended send time to answer)",
                "ms", List.of(curve("answer", report.latency()))));
        return page.details(report).build();
    }

    static HtmlReport control(ControlReport report, List<Timeline.Sample> samples) {
        RunSettings settings = report.settings();
        List<Double> seconds = seconds(samples);
        List<Marker> markers = markers(settings);
        HtmlReport.Builder page = start("Wakeline load test: guaranteed control messages", report.summaryRows(),
                settings, -1, report.commandLine());
        page.timeSeries(latencyChart("Accept latency per interval, intended send time to 2xx", seconds, markers,
                samples, ControlLoadTest.Timing.ACCEPT));
        page.timeSeries(new TimeSeriesChart("Deliver and ack latency per interval, intended send time to receipt", "ms",
                seconds, List.of(
                        series(samples, "deliver p50", s -> s.latency(ControlLoadTest.Timing.DELIVER).p50Ms(), ControlLoadTest.Timing.DELIVER),
                        series(samples, "deliver p99", s -> s.latency(ControlLoadTest.Timing.DELIVER).p99Ms(), ControlLoadTest.Timing.DELIVER),
                        series(samples, "ack p50", s -> s.latency(ControlLoadTest.Timing.ACK).p50Ms(), ControlLoadTest.Timing.ACK),
                        series(samples, "ack p99", s -> s.latency(ControlLoadTest.Timing.ACK).p99Ms(), ControlLoadTest.Timing.ACK)),
                markers));
        List<Series> rates = new ArrayList<>();
        for (ControlLoadTest.Count count : List.of(ControlLoadTest.Count.SENT, ControlLoadTest.Count.ACCEPTED,
                ControlLoadTest.Count.DELIVERED, ControlLoadTest.Count.ACKED)) {
            rates.add(rate(samples, count, count.label()));
        }
        page.timeSeries(new TimeSeriesChart("Rates", "msg/s", seconds, rates, markers));
        List<Series> failures = new ArrayList<>();
        for (ControlLoadTest.Count count : List.of(ControlLoadTest.Count.REFUSED, ControlLoadTest.Count.TRANSPORT_ERROR,
                ControlLoadTest.Count.EXPIRED, ControlLoadTest.Count.REJECTED, ControlLoadTest.Count.SKIPPED)) {
            failures.add(rate(samples, count, count.label()));
        }
        page.timeSeries(new TimeSeriesChart("Other outcomes", "msg/s", seconds, failures, markers));
        page.timeSeries(inFlightChart(seconds, markers, samples, settings));
        page.distribution(new DistributionChart("Latency distribution, measured phase (from the intended send time)", "ms",
                List.of(curve("accept", report.acceptLatency()), curve("deliver", report.deliverLatency()),
                        curve("ack", report.ackLatency()))));
        return page.details(report).build();
    }

    private static HtmlReport.Builder start(String title, List<SummaryRow> rows, RunSettings settings, long warmupSent,
                                            List<String> commandLine) {
        HtmlReport.Builder page = HtmlReport.builder(title);
        page.note(String.format(Locale.ROOT, "Generated %s. %s", Instant.now(),
                settings.warmupSeconds() > 0
                        ? String.format(Locale.ROOT, "A warm-up of %.3f s%s is kept out of every figure and of the "
                                + "distribution; the charts show it left of the dashed line at 0 s.", settings.warmupSeconds(),
                                warmupSent >= 0 ? " (" + warmupSent + " sends)" : "")
                        : "No warm-up: the sender's own start-up is inside the figures."));
        page.note("Latency runs from each send's intended time (open loop), so a stall shows in the figures instead of "
                + "slowing the sender. Command line: " + String.join(" ", commandLine));
        for (SummaryRow row : rows) {
            if (!row.label().equals("command line")) {
                page.summary(row.label(), row.value());
            }
        }
        return page;
    }

    private static List<Double> seconds(List<Timeline.Sample> samples) {
        List<Double> seconds = new ArrayList<>(samples.size());
        for (Timeline.Sample sample : samples) {
            seconds.add(round(sample.endSeconds()));
        }
        return seconds;
    }

    private static List<Marker> markers(RunSettings settings) {
        List<Marker> markers = new ArrayList<>();
        if (settings.warmupSeconds() > 0) {
            markers.add(new Marker(0, "warm-up ends"));
        }
        markers.add(new Marker(settings.durationSeconds(), "last send"));
        return markers;
    }

    private static TimeSeriesChart latencyChart(String title, List<Double> seconds, List<Marker> markers,
                                                List<Timeline.Sample> samples, Enum<?> timing) {
        return new TimeSeriesChart(title, "ms", seconds, List.of(
                series(samples, "p50", s -> s.latency(timing).p50Ms(), timing),
                series(samples, "p90", s -> s.latency(timing).p90Ms(), timing),
                series(samples, "p99", s -> s.latency(timing).p99Ms(), timing),
                series(samples, "max", s -> s.latency(timing).maxMs(), timing)), markers);
    }

    private static TimeSeriesChart inFlightChart(List<Double> seconds, List<Marker> markers,
                                                 List<Timeline.Sample> samples, RunSettings settings) {
        List<Double> inFlight = new ArrayList<>(samples.size());
        for (Timeline.Sample sample : samples) {
            inFlight.add((double) sample.inFlight());
        }
        return new TimeSeriesChart("Sends in flight (bound " + settings.maxInFlight() + ")", "sends", seconds,
                List.of(new Series("in flight", inFlight)), markers);
    }

    /** An interval's latency, or a gap where the interval had none. */
    private static Series series(List<Timeline.Sample> samples, String label, ToDoubleFunction<Timeline.Sample> value,
                                 Enum<?> timing) {
        List<Double> values = new ArrayList<>(samples.size());
        for (Timeline.Sample sample : samples) {
            values.add(sample.latency(timing).count() == 0 ? null : round(value.applyAsDouble(sample)));
        }
        return new Series(label, values);
    }

    private static Series rate(List<Timeline.Sample> samples, Enum<?> count, String label) {
        List<Double> values = new ArrayList<>(samples.size());
        for (Timeline.Sample sample : samples) {
            values.add(round(sample.perSecond(count)));
        }
        return new Series(label + "/s", values);
    }

    private static PercentileCurve curve(String label, LatencySummary latency) {
        List<Double> percentiles = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (LatencySummary.PercentilePoint point : latency.distribution()) {
            percentiles.add(point.percentile());
            values.add(point.ms());
        }
        return new PercentileCurve(label + " (n=" + latency.count() + ")", percentiles, values);
    }

    /** Three decimals are plenty for a chart and keep the page small. */
    private static double round(double value) {
        return Math.round(value * 1_000.0) / 1_000.0;
    }
}
