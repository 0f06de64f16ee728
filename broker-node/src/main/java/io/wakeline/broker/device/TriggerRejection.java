package io.wakeline.broker.device;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wakeline.broker.device.policy.RegistrationDecision.RegistrationRejection;

/**
 * Why a trigger registration changed nothing ({@link DeviceEntity.TriggerAnswer}; wns-spec 8.2-8.4). Wire form, and
 * the device's frame: the name, "" for {@link #None}.
 */
public enum TriggerRejection {
    None, NotOnLockScreen, FreshnessBelowFifteenMinutes, FreshnessMismatch, ControlChannelTriggerNeedsChannel;

    public static TriggerRejection of(RegistrationRejection rejection) {
        return switch (rejection) {
            case NotOnLockScreen -> NotOnLockScreen;
            case FreshnessBelowFifteenMinutes -> FreshnessBelowFifteenMinutes;
            case FreshnessMismatch -> FreshnessMismatch;
            case ControlChannelTriggerNeedsChannel -> ControlChannelTriggerNeedsChannel;
        };
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TriggerRejection ofWireName(String name) {
        return WireNames.parse(TriggerRejection.class, name);
    }
}
