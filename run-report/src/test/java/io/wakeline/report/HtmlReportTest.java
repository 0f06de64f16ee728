package io.wakeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HtmlReport sample() {
        return HtmlReport.builder("Run <1> & co")
                .note("warm-up of 5 s excluded")
                .summary("sent", "1000")
                .summary("p99", "</script><script>alert(1)</script>")
                .timeSeries(new TimeSeriesChart("latency", "ms", List.of(-1.0, 0.0, 1.0),
                        List.of(new Series("p99", Arrays.asList(3.5, null, 2.0))), List.of(new Marker(0, "measured from here"))))
                .distribution(new DistributionChart("distribution", "ms",
                        List.of(new PercentileCurve("answer", List.of(0.0, 50.0, 99.0), List.of(1.0, 2.0, 9.0)))))
                .details(Map.of("runId", "r-1"))
                .build();
    }

    @Test
    void theEmbeddedDataCarriesEverySeriesAndReadsBackAsJson() throws Exception {
        String html = sample().render();

        JsonNode data = JSON.readTree(HtmlReport.extractDataJson(html));
        assertEquals("Run <1> & co", data.path("title").asText());
        JsonNode chart = data.path("timeSeries").get(0);
        assertEquals(List.of(-1.0, 0.0, 1.0), JSON.convertValue(chart.path("seconds"), List.class));
        assertEquals("p99", chart.path("series").get(0).path("label").asText());
        assertTrue(chart.path("series").get(0).path("values").get(1).isNull(), "a gap stays a gap");
        assertEquals(0.0, chart.path("markers").get(0).path("atSeconds").asDouble());
        assertEquals(9.0, data.path("distributions").get(0).path("curves").get(0).path("values").get(2).asDouble());
        assertEquals("r-1", data.path("details").path("runId").asText());
        assertEquals("</script><script>alert(1)</script>", data.path("summary").get(1).path("value").asText());
    }

    @Test
    void thePageIsSelfContained() {
        String html = sample().render();

        assertTrue(html.contains("var uPlot="), "the chart library is inline");
        assertTrue(html.contains("uPlot.join"), "the page script is inline");
        assertFalse(Pattern.compile("<(script|link|img|iframe)[^>]*\\s(src|href)=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no element loads anything");
        assertFalse(html.contains("@import") || html.contains("url(") || html.contains("fetch(") || html.contains("XMLHttpRequest"));
        // the only address in the page is the library's banner comment and licence, never something it loads
        Matcher urls = Pattern.compile("https?://[^\\s\"')<]+").matcher(html);
        while (urls.find()) {
            assertTrue(urls.group().startsWith("https://github.com/leeoniya/uPlot"), urls.group());
        }
    }

    @Test
    void textIsEscapedSoDataCannotBreakOutOfThePage() {
        String html = sample().render();

        assertTrue(html.contains("<title>Run &lt;1&gt; &amp; co</title>"));
        assertTrue(html.contains("<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
        String data = HtmlReport.extractDataJson(html);
        assertFalse(data.contains("<") || data.contains(">"), data);
        assertEquals(2, html.split("<script>", -1).length - 1, "exactly the library and the page script");
    }

    @Test
    void malformedChartsAreRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new TimeSeriesChart("t", "ms", List.of(0.0, 1.0),
                List.of(new Series("short", List.of(1.0))), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TimeSeriesChart("t", "ms", List.of(1.0, 0.0),
                List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new PercentileCurve("c", List.of(50.0, 100.0), List.of(1.0, 2.0)));
    }
}
