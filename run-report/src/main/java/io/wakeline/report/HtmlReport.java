package io.wakeline.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run as one self-contained HTML file: a summary table, notes, time-series charts and latency-distribution
 * charts. The chart library (uPlot) and the page's own script and style are inlined, and the data travels inside
 * the page as JSON in {@code <script type="application/json" id="run-report-data">}, so the file can be mailed,
 * attached to a CI run or opened offline years later, and the data can be read back by a program.
 *
 * <p>Generic on purpose: it knows nothing of load tests; any run that has series over time and latency
 * distributions can use it.
 *
 * @param title         page title and heading
 * @param notes         paragraphs under the heading (e.g. how long the excluded warm-up was)
 * @param summary       the figures, as a two-column table (also readable without script)
 * @param timeSeries    charts over time
 * @param distributions latency distributions
 * @param details       any JSON-serializable object carried along as {@code details} in the embedded data
 *                      (e.g. the run's full JSON report); may be null
 */
public record HtmlReport(String title, List<String> notes, List<SummaryRow> summary, List<TimeSeriesChart> timeSeries,
                         List<DistributionChart> distributions, Object details) {

    /** The id of the {@code <script type="application/json">} element holding the data. */
    public static final String DATA_ELEMENT_ID = "run-report-data";

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    public HtmlReport {
        Objects.requireNonNull(title, "title");
        notes = List.copyOf(notes);
        summary = List.copyOf(summary);
        timeSeries = List.copyOf(timeSeries);
        distributions = List.copyOf(distributions);
    }

    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** The data as embedded in the page: title, notes, summary, timeSeries, distributions, details. */
    public String dataJson() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", title);
        data.put("notes", notes);
        data.put("summary", summary);
        data.put("timeSeries", timeSeries);
        data.put("distributions", distributions);
        data.put("details", details);
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("report data does not serialize to JSON: " + e.getMessage(), e);
        }
    }

    public String render() {
        ChartLibrary uplot = ChartLibrary.get();
        StringBuilder html = new StringBuilder(uplot.script().length() + 64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>\n").append(uplot.css()).append('\n')
                .append(ChartLibrary.text("io/wakeline/report/report.css")).append("</style>\n")
                .append("</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (String note : notes) {
            html.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
        }
        html.append("<table class=\"summary\">\n");
        for (SummaryRow row : summary) {
            html.append("<tr><th>").append(escape(row.label())).append("</th><td>").append(escape(row.value()))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n<div id=\"charts\"></div>\n")
                .append("<noscript><p>The charts need JavaScript; the data is in the page source (")
                .append(DATA_ELEMENT_ID).append(").</p></noscript>\n")
                .append("<footer>Charts drawn with uPlot ").append(escape(uplot.version()))
                .append(", inlined under its licence:<pre>").append(escape(uplot.license())).append("</pre></footer>\n")
                .append("<script type=\"application/json\" id=\"").append(DATA_ELEMENT_ID).append("\">")
                .append(scriptSafe(dataJson())).append("</script>\n")
                .append("<script>\n").append(uplot.script()).append("\n</script>\n")
                .append("<script>\n").append(ChartLibrary.text("io/wakeline/report/report.js")).append("</script>\n")
                .append("</body>\n</html>\n");
        return html.toString();
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, render(), StandardCharsets.UTF_8);
    }

    /**
     * Reads the embedded data back out of a page written by {@link #render()}: the JSON text between the data
     * element's tags, with the escapes {@link #render()} applied undone by any JSON parser.
     */
    public static String extractDataJson(String html) {
        String open = "<script type=\"application/json\" id=\"" + DATA_ELEMENT_ID + "\">";
        int start = html.indexOf(open);
        if (start < 0) {
            throw new IllegalArgumentException("no " + DATA_ELEMENT_ID + " element in the page");
        }
        start += open.length();
        int end = html.indexOf("</script>", start);
        return html.substring(start, end);
    }

    /**
     * JSON inside a script element must not contain {@code </script>} or {@code <!--}: every {@code <}, {@code >}
     * and {@code &} becomes its JSON unicode escape. Outside strings JSON has none of these characters, so the
     * result is the same JSON value.
     */
    private static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Collects the parts in order. */
    public static final class Builder {
        private final String title;
        private final List<String> notes = new ArrayList<>();
        private final List<SummaryRow> summary = new ArrayList<>();
        private final List<TimeSeriesChart> timeSeries = new ArrayList<>();
        private final List<DistributionChart> distributions = new ArrayList<>();
        private Object details;

        private Builder(String title) {
            this.title = title;
        }

        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public Builder summary(String label, String value) {
            summary.add(new SummaryRow(label, value));
            return this;
        }

        public Builder timeSeries(TimeSeriesChart chart) {
            timeSeries.add(chart);
            return this;
        }

        public Builder distribution(DistributionChart chart) {
            distributions.add(chart);
            return this;
        }

        public Builder details(Object details) {
            this.details = details;
            return this;
        }

        public HtmlReport build() {
            return new HtmlReport(title, notes, summary, timeSeries, distributions, details);
        }
    }
}
