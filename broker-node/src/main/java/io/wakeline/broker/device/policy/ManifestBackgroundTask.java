package io.wakeline.broker.device.policy;

/**
 * Background task types an app declares in its manifest that matter to lock-screen admission
 * (wns-spec 6.3, 6.6; {@code BackgroundAccessStatus} remarks). The device reports them with the access request.
 */
public enum ManifestBackgroundTask {
    /** {@code controlChannel}: the app wants real-time connectivity (RTC). */
    ControlChannel("controlChannel"),
    /** {@code pushNotification}. */
    PushNotification("pushNotification"),
    /** {@code timer}. */
    Timer("timer"),
    /** {@code systemEvent}: does not by itself make an app lock-screen capable. */
    SystemEvent("systemEvent");

    private final String manifestName;

    ManifestBackgroundTask(String manifestName) {
        this.manifestName = manifestName;
    }

    /** The name as written in {@code Package.appxmanifest}. */
    public String manifestName() {
        return manifestName;
    }
}
