package io.wakeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ControlReceiptParseTest {

    @Test
    void readsTheMessageIdAndFateWhateverElseTheReceiptCarries() throws IOException {
        ControlLoadTest.Receipt receipt = ControlLoadTest.Receipt.parse("{\"deviceId\":\"d-1\",\"channelId\":\"c-9\","
                + "\"messageId\":\"m-7\",\"fate\":\"acked\",\"extra\":{\"nested\":[1,{\"messageId\":\"no\"}]},"
                + "\"time\":\"2026-01-05T10:00:00.123Z\",\"atMillis\":1767607200123}");
        assertEquals(new ControlLoadTest.Receipt("m-7", "acked"), receipt);
    }

    @Test
    void missingFieldsAreEmptyAndNonObjectsAreRefused() throws IOException {
        assertEquals(new ControlLoadTest.Receipt("", "expired"), ControlLoadTest.Receipt.parse("{\"fate\":\"expired\"}"));
        assertThrows(IOException.class, () -> ControlLoadTest.Receipt.parse("[1,2]"));
        assertThrows(IOException.class, () -> ControlLoadTest.Receipt.parse("{\"fate\":"));
    }
}
