package io.wakeline.broker.device.policy;

/** Who took an app off the lock screen (wns-spec 6.8, seed 000 "A user can add or remove an app ... at any time"). */
public enum LockScreenRemovalCause {
    /** The user removed it in PC settings. */
    RemovedByUser,
    /** The app called {@code BackgroundExecutionManager.RemoveAccess()}. */
    RemoveAccessCalled
}
