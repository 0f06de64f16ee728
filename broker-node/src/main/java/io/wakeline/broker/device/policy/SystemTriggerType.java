package io.wakeline.broker.device.policy;

/**
 * The {@code SystemTriggerType} values the broker raises on the device (wns-spec 8.1); the others are
 * detected on the device itself and never pass through the policy.
 */
public enum SystemTriggerType {
    /** Carries {@code IControlChannelTriggerResetEventDetails} (wns-spec 7.12). */
    ControlChannelReset(5),
    /** The user added the app to the lock screen (wns-spec 6.9). */
    LockScreenApplicationAdded(9),
    /** The app left the lock screen (wns-spec 6.9). */
    LockScreenApplicationRemoved(10);

    private final int value;

    SystemTriggerType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
