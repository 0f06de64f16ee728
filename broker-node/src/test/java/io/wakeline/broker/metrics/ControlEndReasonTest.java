package io.wakeline.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ControlEndReasonTest {

    @Test
    void receiptReasonsMapOntoTheBoundedVocabulary() {
        assertEquals(ControlEndReason.UNSPECIFIED, ControlEndReason.of(""));
        assertEquals(ControlEndReason.UNSPECIFIED, ControlEndReason.of(null));
        assertEquals(ControlEndReason.TTL, ControlEndReason.of("ttl"));
        assertEquals(ControlEndReason.CHANNEL_CLOSED, ControlEndReason.of("channel-closed"));
        assertEquals(ControlEndReason.CHANNEL_RESET, ControlEndReason.of(" CHANNEL_RESET "));
        assertEquals(ControlEndReason.OTHER, ControlEndReason.of("the app closed channel 42 of device xyz"));
        assertEquals(ControlEndReason.OTHER, ControlEndReason.of("unspecified"), "only an empty reason is unspecified");
    }
}
