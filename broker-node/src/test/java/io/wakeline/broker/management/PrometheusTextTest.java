package io.wakeline.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void eachMetricIsAHelpLineATypeLineAndOneSample() {
        String text = new PrometheusText()
                .counter("wakeline_device_links_opened_total", "Device TCP connections accepted", 12)
                .gauge("wakeline_device_links_attached", "Attached links\\now", 3)
                .render();
        assertEquals("""
                # HELP wakeline_device_links_opened_total Device TCP connections accepted
                # TYPE wakeline_device_links_opened_total counter
                wakeline_device_links_opened_total 12
                # HELP wakeline_device_links_attached Attached links\\\\now
                # TYPE wakeline_device_links_attached gauge
                wakeline_device_links_attached 3
                """, text);
    }

    @Test
    void aNameOutsideThePrometheusAlphabetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().gauge("links-attached", "x", 1));
    }
}
