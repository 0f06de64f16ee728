package io.wakeline.broker.device;

import io.wakeline.broker.CborSerializable;

/** Hardware facts the device reports in its Hello (docs/protocol.md). */
public record DeviceCapabilities(boolean chipsetConnectedStandby, boolean networkConnectedStandby)
        implements CborSerializable {

    public static final DeviceCapabilities NONE = new DeviceCapabilities(false, false);
}
