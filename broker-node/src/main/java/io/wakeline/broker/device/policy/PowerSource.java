package io.wakeline.broker.device.policy;

/** AC or DC: the network quota applies on battery only (wns-spec 8.12), maintenance triggers run on mains only (8.4). */
public enum PowerSource {
    Battery,
    Mains
}
