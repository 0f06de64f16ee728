package io.wakeline.broker.device.control;

import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.app.events.AppEvent;

/** A receipt the app's event log has not confirmed yet; numbered in the order it arose. */
public record PendingReceipt(long no, String appId, String channelId, String messageId, AppEvent.MessageFate fate,
                             long atMillis) implements CborSerializable {

    public AppEvent.MessageReceipt toEvent(String deviceId) {
        return new AppEvent.MessageReceipt(deviceId, channelId, messageId, fate, "", atMillis);
    }
}
