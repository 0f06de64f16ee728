package io.wakeline.broker.device.policy;

/** What the device's user did with the Windows 8 "Let this app run in the background?" dialog (wns-spec 6.4–6.6). */
public enum LockScreenConsent {
    /** "Allow". */
    Allow,
    /** "Don't allow". */
    DontAllow,
    /** Closed without choosing; the app may ask again. */
    Dismissed
}
