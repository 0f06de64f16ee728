package io.wakeline.broker.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.gateway.app.WnsAnswer.NotificationStatus;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WnsAnswerTest {

    @Test
    void deliveredAndStoredAreReceivedDroppedIsDropped() {
        var connected = DeviceConnectionStatus.CONNECTED;
        assertEquals(Optional.of(NotificationStatus.RECEIVED), WnsAnswer.of(new PushOutcome.Delivered(connected), false).notificationStatus());
        assertEquals(Optional.of(NotificationStatus.RECEIVED), WnsAnswer.of(new PushOutcome.Stored(connected, PushOutcome.StoreReason.BATCHED), false).notificationStatus());
        WnsAnswer dropped = WnsAnswer.of(new PushOutcome.Dropped(connected, PushOutcome.DropReason.NotOnLockScreen), false);
        assertEquals(200, dropped.httpStatus());
        assertEquals(Optional.of(NotificationStatus.DROPPED), dropped.notificationStatus());
    }

    @Test
    void deviceConnectionStatusOnlyWhenAskedFor() {
        var outcome = new PushOutcome.Stored(DeviceConnectionStatus.TEMP_DISCONNECTED, PushOutcome.StoreReason.OFFLINE);
        assertTrue(WnsAnswer.of(outcome, false).deviceConnection().isEmpty());
        assertEquals(Optional.of(DeviceConnectionStatus.TEMP_DISCONNECTED), WnsAnswer.of(outcome, true).deviceConnection());
    }

    @Test
    void unknownAndClosedChannelsAre404And410() {
        assertEquals(404, WnsAnswer.of(new PushOutcome.TargetUnknown(), true).httpStatus());
        assertEquals(410, WnsAnswer.of(new PushOutcome.TargetClosed(), true).httpStatus());
        assertTrue(WnsAnswer.of(new PushOutcome.TargetClosed(), true).deviceConnection().isEmpty());
    }

    @Test
    void unavailableCarriesRetryAfterButNoStatus() {
        WnsAnswer answer = WnsAnswer.unavailable(Duration.ofSeconds(7));
        assertEquals(503, answer.httpStatus());
        assertEquals(Optional.of(Duration.ofSeconds(7)), answer.retryAfter());
        assertTrue(answer.notificationStatus().isEmpty());
    }
}
