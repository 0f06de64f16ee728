package io.wakeline.broker.device.policy;

/** {@code ControlChannelTriggerResourceType}: the slot an app asks for when it creates a control channel (wns-spec 7.4). */
public enum ControlChannelTriggerResourceType {
    /** The default; triggers only while the system is active. */
    RequestSoftwareSlot(0),
    /** Needed to be triggered in connected standby. */
    RequestHardwareSlot(1);

    private final int value;

    ControlChannelTriggerResourceType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
