package io.wakeline.broker.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wakeline.broker.app.events.AppEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The exact {@code data} of each event type (docs/app-server-api.md "Event stream", "Receipts"). */
class AppEventJsonTest {
    private static final long AT = 1_767_607_200_123L;
    private static final String TIME = "\"time\":\"2026-01-05T10:00:00.123Z\",\"atMillis\":1767607200123}";

    @Test
    void aReceiptNamesItsMessageAndFateAndAReasonWhenThereIsOne() {
        assertEquals("{\"deviceId\":\"d-1\",\"channelId\":\"c-9\",\"messageId\":\"m-1\",\"fate\":\"delivered\"," + TIME,
                AppEventJson.data(new AppEvent.MessageReceipt("d-1", "c-9", "m-1", AppEvent.MessageFate.DELIVERED, "", AT)));
        assertEquals("{\"deviceId\":\"d-1\",\"channelId\":\"c-9\",\"messageId\":\"m-1\",\"fate\":\"expired\","
                        + "\"reason\":\"ttl \\\"60s\\\"\"," + TIME,
                AppEventJson.data(new AppEvent.MessageReceipt("d-1", "c-9", "m-1", AppEvent.MessageFate.EXPIRED,
                        "ttl \"60s\"", AT)), "strings are escaped");
        assertEquals("receipt", AppEventJson.eventType(new AppEvent.MessageReceipt("d", "c", "m",
                AppEvent.MessageFate.ACKED, null, AT)));
    }

    @Test
    void upstreamCarriesItsIdAndBase64PayloadAndChannelStatesTheirState() {
        AppEvent upstream = new AppEvent.UpstreamMessage("d-1", "c-9", 7, "hi".getBytes(StandardCharsets.UTF_8), AT);
        assertEquals("{\"deviceId\":\"d-1\",\"channelId\":\"c-9\",\"upstreamId\":7,\"payload\":\"aGk=\"," + TIME,
                AppEventJson.data(upstream));
        assertEquals("upstream", AppEventJson.eventType(upstream));
        AppEvent stale = new AppEvent.ChannelStateChanged("d-1", "c-9", AppEvent.ChannelState.STALE, "missed keep-alive", AT);
        assertEquals("{\"deviceId\":\"d-1\",\"channelId\":\"c-9\",\"state\":\"stale\",\"reason\":\"missed keep-alive\","
                + TIME, AppEventJson.data(stale));
        assertEquals("channel-state", AppEventJson.eventType(stale));
    }

    @Test
    void aWebPushReceiptNamesOnlyTheMessageResourceAndItsStatus() {
        assertEquals("{\"message\":\"https://push.test/wp/m/x\",\"status\":410,\"fate\":\"not-delivered\"," + TIME,
                AppEventJson.data(new AppEvent.WebPushReceipt("d-1", "s-1", "x", "https://push.test/wp/m/x",
                        AppEvent.WebPushReceiptFate.NOT_DELIVERED, AT)));
    }
}
