package io.wakeline.broker.gateway.wns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.wns.WnsAnswer.NotificationStatus;
import io.wakeline.broker.gateway.wns.WnsRequestRules.StatusRequest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WnsAnswerTest {

    private static WnsAnswer.Accepted accepted(WnsAnswer answer) {
        return assertInstanceOf(WnsAnswer.Accepted.class, answer);
    }

    private static Rejection refused(WnsAnswer answer) {
        return assertInstanceOf(WnsAnswer.Refused.class, answer).rejection();
    }

    @Test
    void deliveredAndStoredAreReceivedDroppedIsDropped() {
        var connected = DeviceConnectionStatus.CONNECTED;
        assertEquals(NotificationStatus.RECEIVED, accepted(WnsAnswer.of(new PushOutcome.Delivered(connected), StatusRequest.NONE)).status());
        assertEquals(NotificationStatus.RECEIVED,
                accepted(WnsAnswer.of(new PushOutcome.Stored(connected, PushOutcome.StoreReason.BATCHED), StatusRequest.NONE)).status());
        WnsAnswer.Accepted dropped = accepted(WnsAnswer.of(new PushOutcome.Dropped(connected, PushOutcome.DropReason.NotOnLockScreen), StatusRequest.NONE));
        assertEquals(NotificationStatus.DROPPED, dropped.status());
    }

    @Test
    void deviceConnectionStatusOnlyWhenAskedFor() {
        var outcome = new PushOutcome.Stored(DeviceConnectionStatus.TEMP_DISCONNECTED, PushOutcome.StoreReason.OFFLINE);
        assertTrue(accepted(WnsAnswer.of(outcome, StatusRequest.NONE)).deviceConnection().isEmpty());
        assertEquals(Optional.of(DeviceConnectionStatus.TEMP_DISCONNECTED), accepted(WnsAnswer.of(outcome, StatusRequest.DEVICE_CONNECTION)).deviceConnection());
    }

    @Test
    void unknownAndClosedChannelsAre404And410() {
        assertEquals(404, refused(WnsAnswer.of(new PushOutcome.TargetUnknown(), StatusRequest.DEVICE_CONNECTION)).kind().httpStatus());
        assertEquals(410, refused(WnsAnswer.of(new PushOutcome.TargetClosed(), StatusRequest.DEVICE_CONNECTION)).kind().httpStatus());
    }

    @Test
    void unavailableCarriesRetryAfterAndAThrottledChannelContinueAfter() {
        Rejection unavailable = refused(WnsAnswer.unavailable(Duration.ofSeconds(7)));
        assertEquals(503, unavailable.kind().httpStatus());
        assertEquals(Optional.of(Duration.ofSeconds(7)), unavailable.retryAfter());
        Rejection sender = refused(WnsAnswer.senderThrottled(Duration.ofSeconds(3)));
        assertEquals(406, sender.kind().httpStatus());
        assertEquals(Optional.of(Duration.ofSeconds(3)), sender.retryAfter());
        WnsAnswer.Accepted channel = accepted(WnsAnswer.channelThrottled(Duration.ofSeconds(9)));
        assertEquals(NotificationStatus.CHANNEL_THROTTLED, channel.status());
        assertEquals(Optional.of(Duration.ofSeconds(9)), channel.continueAfter());
    }
}
