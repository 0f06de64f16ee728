package io.wakeline.broker.device.policy;

/** Which sandbox quota an app gets: lock-screen apps get the larger one (wns-spec 8.10). */
public enum BudgetClass {
    LockScreenApp,
    OtherApp
}
