package io.wakeline.broker.device;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wakeline.broker.device.policy.AccessDecision.AccessRejection;

/**
 * Why a lock-screen request changed nothing ({@link DeviceEntity.LockScreenAnswer}); {@link #None} when it did not.
 * Wire form, and the device's frame: the name, "" for {@code None} (what the answer carried as a string before).
 */
public enum LockScreenRejection {
    None, NoPromptPending, AlreadyOnLockScreen, LockScreenFull, NotLockScreenCapable, NoRealTimeConnectivitySlot,
    /** A removal of an app that is not on the lock screen. */
    NotOnLockScreen;

    public static LockScreenRejection of(AccessRejection rejection) {
        return switch (rejection) {
            case NoPromptPending -> NoPromptPending;
            case AlreadyOnLockScreen -> AlreadyOnLockScreen;
            case LockScreenFull -> LockScreenFull;
            case NotLockScreenCapable -> NotLockScreenCapable;
            case NoRealTimeConnectivitySlot -> NoRealTimeConnectivitySlot;
        };
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LockScreenRejection ofWireName(String name) {
        return WireNames.parse(LockScreenRejection.class, name);
    }
}
