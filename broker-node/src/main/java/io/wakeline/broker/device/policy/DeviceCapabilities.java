package io.wakeline.broker.device.policy;

import io.wakeline.broker.CborSerializable;

/**
 * What the device's hardware reported in its handshake ({@code DeviceCapabilities} in {@code device_link.proto}).
 * Connected standby needs both the chipset and the network hardware (seed 000, "Limit on the number of control
 * channels", last paragraphs).
 */
public record DeviceCapabilities(boolean chipsetConnectedStandby, boolean networkConnectedStandby)
        implements CborSerializable {

    /** A device that knows nothing of connected standby; what a device is before its handshake. */
    public static final DeviceCapabilities NONE = new DeviceCapabilities(false, false);
    /** Chipset and network adapter both support connected standby. */
    public static final DeviceCapabilities CONNECTED_STANDBY = new DeviceCapabilities(true, true);

    /** What a request for a hardware slot turns into on this device. */
    public HardwareSlotSupport hardwareSlotSupport() {
        if (!chipsetConnectedStandby) {
            return HardwareSlotSupport.FallsBackToSoftwareSlot;
        }
        return networkConnectedStandby ? HardwareSlotSupport.Supported : HardwareSlotSupport.SystemError;
    }

    /** Hardware-slot support as the seed describes it for the three kinds of device. */
    public enum HardwareSlotSupport {
        /** Chipset and network hardware support connected standby. */
        Supported,
        /** Chipset without connected standby: hardware requests silently become software slots. */
        FallsBackToSoftwareSlot,
        /** Chipset with, network hardware without connected standby: hardware requests fail with SystemError. */
        SystemError
    }
}
