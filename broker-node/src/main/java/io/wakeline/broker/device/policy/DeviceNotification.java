package io.wakeline.broker.device.policy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.wakeline.broker.CborSerializable;

/**
 * Something the broker must tell the device after the decision's events are persisted. Not journaled: a replay
 * restores state, it does not re-send notifications.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
    @JsonSubTypes.Type(value = DeviceNotification.SystemTriggerRaised.class, name = "system-trigger"),
    @JsonSubTypes.Type(value = DeviceNotification.ControlChannelReset.class, name = "control-channel-reset")
})
public sealed interface DeviceNotification extends CborSerializable {

    String appId();

    /** Raise a system trigger for the app ({@link SystemTriggerType#LockScreenApplicationAdded} / {@code Removed}, wns-spec 6.9). */
    record SystemTriggerRaised(String appId, SystemTriggerType trigger) implements DeviceNotification {
    }

    /**
     * Raise {@link SystemTriggerType#ControlChannelReset} with {@code IControlChannelTriggerResetEventDetails}
     * (wns-spec 7.12, 7.13): the app must recreate its channels and transports.
     */
    record ControlChannelReset(String appId, ControlChannelTriggerResetReason resetReason, boolean hardwareSlotReset,
            boolean softwareSlotReset) implements DeviceNotification {
    }
}
