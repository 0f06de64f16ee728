package io.wakeline.simulator;

/** Whether the simulated devices play the Windows device model on their own. */
public enum DeviceModelMode {
    /**
     * A link-only device whose apps run in the foreground: channels, acks, heartbeats, and one
     * AppStateReport{FOREGROUND} per app after each Welcome (so raw notifications reach the apps as events).
     * It sends no other device-model frame by itself and only counts the device-model frames the broker
     * sends; tests drive the model with
     * {@link DeviceSimulator#send} and {@link DeviceSimulator#request}.
     */
    OFF,
    /**
     * Every device plays its {@link DevicePopulation} profile: power and app-state reports, lock-screen
     * requests and consent answers, trigger registrations, control channels, background tasks.
     */
    AUTOMATIC
}
