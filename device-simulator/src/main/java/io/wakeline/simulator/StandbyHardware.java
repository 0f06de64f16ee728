package io.wakeline.simulator;

import io.wakeline.protocol.v1.DeviceCapabilities;

/** What a device's hardware can do in standby, as reported in {@code Hello.capabilities}. */
public enum StandbyHardware {
    /** Chipset and network adapter both support connected standby: hardware slots survive it (wns-spec 7.9). */
    CONNECTED_STANDBY(true, true),
    /** The chipset enters connected standby, but the network adapter cannot keep hardware slots alive. */
    CHIPSET_ONLY(true, false),
    /** A classic PC: it sleeps instead. */
    NONE(false, false);

    private final DeviceCapabilities capabilities;

    StandbyHardware(boolean chipset, boolean network) {
        this.capabilities = DeviceCapabilities.newBuilder()
                .setChipsetConnectedStandby(chipset)
                .setNetworkConnectedStandby(network)
                .build();
    }

    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    /** Connected standby is a platform power state: the chipset decides, the network adapter only decides slots. */
    public boolean entersConnectedStandby() {
        return capabilities.getChipsetConnectedStandby();
    }
}
