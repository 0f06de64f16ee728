package io.wakeline.broker.device.push;

/** Windows battery saver (wns-spec 4.17, 4.18); only ever on while on battery. */
public enum EnergySaver {
    On,
    Off
}
