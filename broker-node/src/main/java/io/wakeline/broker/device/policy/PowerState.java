package io.wakeline.broker.device.policy;

/**
 * The device's power state as the broker sees it (wns-spec 7.9, seed 000 "Hardware slot / Software slot").
 * What may wake an app in each state is decided by {@link WakePolicy}.
 */
public enum PowerState {
    /** Screen on or system running: every trigger may fire. */
    Active,
    /** Connected standby (InstantGo): hardware-slot channels, raw push, time and maintenance triggers; no software slots. */
    ConnectedStandby,
    /** Sleep or hibernate: nothing wakes an app. */
    Sleep,
    /** Shut down, or simply no link to the broker: nothing wakes an app. */
    Off
}
