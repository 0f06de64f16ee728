package io.wakeline.broker.device.policy;

import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.device.policy.DevicePolicyEvent.DeviceCapabilitiesReported;
import io.wakeline.broker.device.policy.DevicePolicyEvent.PowerSourceChanged;
import io.wakeline.broker.device.policy.DevicePolicyEvent.PowerStateChanged;

/**
 * Everything the Windows client rules need to know about one device: the state the device entity keeps (and
 * snapshots). Changed only by {@link #apply(DevicePolicyEvent)}, which is deterministic: the same events from
 * {@link #INITIAL} always give the same state, whatever the clock or configuration.
 *
 * @param capabilities    from the last handshake
 * @param powerState      {@link PowerState#Off} while no link is up
 * @param powerSource     battery or mains, as last reported
 */
public record DevicePolicyState(
        DeviceCapabilities capabilities,
        PowerState powerState,
        PowerSource powerSource,
        LockScreen lockScreen,
        ControlChannels controlChannels,
        AppLifecycle apps,
        SandboxBudget budget) implements CborSerializable {

    /** A device never seen: no link, no capabilities, on battery until told otherwise (the stricter quota). */
    public static final DevicePolicyState INITIAL = new DevicePolicyState(DeviceCapabilities.NONE, PowerState.Off,
            PowerSource.Battery, LockScreen.EMPTY, ControlChannels.EMPTY, AppLifecycle.EMPTY, SandboxBudget.EMPTY);

    /** Which quota the app gets: lock-screen apps have their own (wns-spec 8.10). */
    public BudgetClass budgetClass(String appId) {
        return lockScreen.contains(appId) ? BudgetClass.LockScreenApp : BudgetClass.OtherApp;
    }

    /** Folds one event in. */
    public DevicePolicyState apply(DevicePolicyEvent event) {
        if (event instanceof DeviceCapabilitiesReported e) {
            return new DevicePolicyState(e.capabilities(), powerState, powerSource, lockScreen, controlChannels, apps,
                    budget);
        }
        if (event instanceof PowerStateChanged e) {
            return new DevicePolicyState(capabilities, e.to(), powerSource, lockScreen, controlChannels, apps.apply(e),
                    budget);
        }
        if (event instanceof PowerSourceChanged e) {
            return new DevicePolicyState(capabilities, powerState, e.source(), lockScreen, controlChannels, apps,
                    budget);
        }
        return new DevicePolicyState(capabilities, powerState, powerSource, lockScreen.apply(event),
                controlChannels.apply(event), apps.apply(event), budget.apply(event));
    }

    /** Folds events in, in order. */
    public DevicePolicyState applyAll(Iterable<? extends DevicePolicyEvent> events) {
        DevicePolicyState state = this;
        for (DevicePolicyEvent event : events) {
            state = state.apply(event);
        }
        return state;
    }
}
