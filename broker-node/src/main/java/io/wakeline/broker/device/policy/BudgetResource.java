package io.wakeline.broker.device.policy;

/** The two sandbox quotas of a Windows 8 background task (wns-spec 8.10, 8.12). */
public enum BudgetResource {
    Cpu,
    Network
}
