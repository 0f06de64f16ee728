package io.wakeline.broker.device.policy;

/** {@code Windows.Networking.Sockets.ControlChannelTriggerStatus}, what {@code WaitForPushEnabled} returns (wns-spec 7.8). */
public enum ControlChannelTriggerStatus {
    /** Policy check passed and a hardware slot was requested. Wakeline allocates synchronously and never returns it. */
    HardwareSlotRequested(0),
    SoftwareSlotAllocated(1),
    HardwareSlotAllocated(2),
    /** More slots requested than the policy allows (wns-spec 7.16). */
    PolicyError(3),
    /** Hardware slot requested on a connected-standby chipset whose network hardware cannot keep it (seed 000). */
    SystemError(4),
    /** The transport was already gone: the device link is down. */
    TransportDisconnected(5),
    /** The broker cannot take the channel now (software slot while in connected standby, device asleep). */
    ServiceUnavailable(6);

    private final int value;

    ControlChannelTriggerStatus(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** Whether a slot was allocated, i.e. the control channel now exists. */
    public boolean allocated() {
        return this == SoftwareSlotAllocated || this == HardwareSlotAllocated;
    }
}
