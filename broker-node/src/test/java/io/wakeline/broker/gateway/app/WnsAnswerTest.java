package io.wakeline.broker.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.RawPushOutcome;
import io.wakeline.broker.gateway.app.WnsAnswer.NotificationStatus;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WnsAnswerTest {

    @Test
    void deliveredAndCachedAreReceivedDroppedIsDropped() {
        var connected = DeviceConnectionStatus.CONNECTED;
        assertEquals(Optional.of(NotificationStatus.RECEIVED), WnsAnswer.of(new RawPushOutcome.Delivered(connected), false).notificationStatus());
        assertEquals(Optional.of(NotificationStatus.RECEIVED), WnsAnswer.of(new RawPushOutcome.Cached(connected), false).notificationStatus());
        WnsAnswer dropped = WnsAnswer.of(new RawPushOutcome.Dropped(connected, "not in foreground"), false);
        assertEquals(200, dropped.httpStatus());
        assertEquals(Optional.of(NotificationStatus.DROPPED), dropped.notificationStatus());
    }

    @Test
    void deviceConnectionStatusOnlyWhenAskedFor() {
        var outcome = new RawPushOutcome.Cached(DeviceConnectionStatus.TEMP_DISCONNECTED);
        assertTrue(WnsAnswer.of(outcome, false).deviceConnection().isEmpty());
        assertEquals(Optional.of(DeviceConnectionStatus.TEMP_DISCONNECTED), WnsAnswer.of(outcome, true).deviceConnection());
    }

    @Test
    void unknownAndClosedChannelsAre404And410() {
        assertEquals(404, WnsAnswer.of(new RawPushOutcome.ChannelUnknown(), true).httpStatus());
        assertEquals(410, WnsAnswer.of(new RawPushOutcome.ChannelClosed(), true).httpStatus());
        assertTrue(WnsAnswer.of(new RawPushOutcome.ChannelClosed(), true).deviceConnection().isEmpty());
    }

    @Test
    void unavailableCarriesRetryAfterButNoStatus() {
        WnsAnswer answer = WnsAnswer.unavailable(Duration.ofSeconds(7));
        assertEquals(503, answer.httpStatus());
        assertEquals(Optional.of(Duration.ofSeconds(7)), answer.retryAfter());
        assertTrue(answer.notificationStatus().isEmpty());
    }
}
