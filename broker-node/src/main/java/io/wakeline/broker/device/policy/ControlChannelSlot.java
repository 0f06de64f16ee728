package io.wakeline.broker.device.policy;

/** The slot a control channel actually holds after allocation (seed 000 "Hardware slot / Software slot"). */
public enum ControlChannelSlot {
    /** Triggers in active and connected standby. */
    HardwareSlot,
    /** Triggers only while the system is active (wns-spec 7.9). */
    SoftwareSlot
}
