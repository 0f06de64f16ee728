package io.wakeline.broker.device.policy;

import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.device.policy.ChannelCreation.ChannelRejection;
import io.wakeline.broker.device.policy.ChannelCreation.Completed;
import io.wakeline.broker.device.policy.ChannelCreation.Rejected;
import io.wakeline.broker.device.policy.DeviceNotification.ControlChannelReset;
import io.wakeline.broker.device.policy.DevicePolicyEvent.ControlChannelClosed;
import io.wakeline.broker.device.policy.DevicePolicyEvent.ControlChannelCreated;
import io.wakeline.broker.device.policy.DevicePolicyEvent.ControlChannelsReset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The device's control channels ({@code ControlChannelTrigger}s) and the slot allocator behind them. Immutable;
 * decisions return events, {@link #apply} folds them in.
 *
 * <p>Creating a channel (wns-spec 7.2, 7.3, 7.8, 7.10, 7.16; seed 000 "Limit on the number of control channels"),
 * in this order:
 * <ol>
 *   <li>What the Windows constructor rejects: a channel id that is empty or longer than {@value #MAX_CHANNEL_ID_LENGTH}
 *       characters, a server keep-alive outside {@value #MIN_SERVER_KEEP_ALIVE_MINUTES}…{@value
 *       #MAX_SERVER_KEEP_ALIVE_MINUTES} minutes, an app not on the lock screen, an id the app already has open.</li>
 *   <li>Device state: link down → {@code TransportDisconnected}; asleep → {@code ServiceUnavailable}.</li>
 *   <li>Hardware request: on a chipset without connected standby it becomes a software request; on a connected-standby
 *       chipset whose network hardware lacks it → {@code SystemError}.</li>
 *   <li>A software slot asked for in connected standby → {@code ServiceUnavailable} (software slots exist only while
 *       the system is active, wns-spec 7.8).</li>
 *   <li>Quotas → {@code PolicyError}: at most {@value #MAX_CHANNELS_PER_APP} channels per app; at most
 *       {@value #MAX_HARDWARE_SLOTS_PER_APP} hardware slots per app, and hardware slots only for a lock-screen app
 *       holding a real-time-connectivity slot ({@code AllowedWithAlwaysOnRealTimeConnectivity}); there are three
 *       such apps at most ({@link LockScreen}), so the first three lock-screen apps get up to 3 hardware + 2
 *       software slots and apps 4–7 five software slots.</li>
 *   <li>Otherwise {@code HardwareSlotAllocated} or {@code SoftwareSlotAllocated}. {@code HardwareSlotRequested} is
 *       never returned: allocation here is immediate.</li>
 * </ol>
 * Closing frees the slot (wns-spec 7.6). A reset (wns-spec 7.12, 7.13) frees the reset channels' slots too: the app
 * has to recreate them, and gets {@code ControlChannelReset} with the reason and which slot kinds were reset. Messages
 * queued for a channel are not part of this state: the device's {@code ControlOutbox} keys them by (app, channel id),
 * so a channel recreated under the same id after a reset continues its queue.
 *
 * @param channels open channels in creation order
 */
public record ControlChannels(List<ControlChannel> channels) implements CborSerializable {

    public static final int MAX_CHANNELS_PER_APP = 5;
    public static final int MAX_HARDWARE_SLOTS_PER_APP = 3;
    public static final int MAX_CHANNEL_ID_LENGTH = 64;
    public static final int MIN_SERVER_KEEP_ALIVE_MINUTES = 15;
    public static final int MAX_SERVER_KEEP_ALIVE_MINUTES = 1439;

    public static final ControlChannels EMPTY = new ControlChannels(List.of());

    public ControlChannels {
        channels = List.copyOf(channels);
    }

    // --- queries ---

    public List<ControlChannel> of(String appId) {
        return channels.stream().filter(c -> c.appId().equals(appId)).toList();
    }

    public Optional<ControlChannel> find(String appId, String channelId) {
        return channels.stream().filter(c -> c.appId().equals(appId) && c.channelId().equals(channelId)).findFirst();
    }

    public int count(String appId, ControlChannelSlot slot) {
        return (int) channels.stream().filter(c -> c.appId().equals(appId) && c.slot() == slot).count();
    }

    // --- decisions ---

    /** {@code new ControlChannelTrigger(channelId, serverKeepAliveIntervalInMinutes, requested)} then {@code WaitForPushEnabled()}. */
    public ChannelCreation create(String appId, String channelId, int serverKeepAliveIntervalInMinutes,
            ControlChannelTriggerResourceType requested, LockScreen lockScreen, DeviceCapabilities capabilities,
            PowerState power) {
        if (channelId == null || channelId.isEmpty() || channelId.length() > MAX_CHANNEL_ID_LENGTH) {
            return new Rejected(ChannelRejection.InvalidChannelId);
        }
        if (serverKeepAliveIntervalInMinutes < MIN_SERVER_KEEP_ALIVE_MINUTES
                || serverKeepAliveIntervalInMinutes > MAX_SERVER_KEEP_ALIVE_MINUTES) {
            return new Rejected(ChannelRejection.ServerKeepAliveIntervalOutOfRange);
        }
        Optional<LockScreenApp> member = lockScreen.app(appId);
        if (member.isEmpty()) {
            return new Rejected(ChannelRejection.NotOnLockScreen);
        }
        if (find(appId, channelId).isPresent()) {
            return new Rejected(ChannelRejection.DuplicateChannelId);
        }
        if (power == PowerState.Off) {
            return status(ControlChannelTriggerStatus.TransportDisconnected);
        }
        if (power == PowerState.Sleep) {
            return status(ControlChannelTriggerStatus.ServiceUnavailable);
        }
        ControlChannelSlot slot = ControlChannelSlot.SoftwareSlot;
        if (requested == ControlChannelTriggerResourceType.RequestHardwareSlot) {
            switch (capabilities.hardwareSlotSupport()) {
                case Supported -> slot = ControlChannelSlot.HardwareSlot;
                case FallsBackToSoftwareSlot -> slot = ControlChannelSlot.SoftwareSlot;
                case SystemError -> {
                    return status(ControlChannelTriggerStatus.SystemError);
                }
            }
        }
        if (slot == ControlChannelSlot.SoftwareSlot && power == PowerState.ConnectedStandby) {
            return status(ControlChannelTriggerStatus.ServiceUnavailable);
        }
        if (of(appId).size() >= MAX_CHANNELS_PER_APP) {
            return status(ControlChannelTriggerStatus.PolicyError);
        }
        if (slot == ControlChannelSlot.HardwareSlot
                && (!member.get().holdsRealTimeConnectivity()
                        || count(appId, ControlChannelSlot.HardwareSlot) >= MAX_HARDWARE_SLOTS_PER_APP)) {
            return status(ControlChannelTriggerStatus.PolicyError);
        }
        ControlChannelTriggerStatus allocated = slot == ControlChannelSlot.HardwareSlot
                ? ControlChannelTriggerStatus.HardwareSlotAllocated
                : ControlChannelTriggerStatus.SoftwareSlotAllocated;
        return new Completed(allocated,
                List.of(new ControlChannelCreated(appId, channelId, serverKeepAliveIntervalInMinutes, slot)));
    }

    /** {@code ControlChannelTrigger.Close()}. */
    public ChannelClosing close(String appId, String channelId) {
        if (find(appId, channelId).isEmpty()) {
            return new ChannelClosing.UnknownChannel();
        }
        return new ChannelClosing.Closed(List.of(new ControlChannelClosed(appId, channelId, ChannelCloseCause.ClosedByApp)));
    }

    /** Closes every channel of the app, e.g. when it leaves the lock screen. */
    public List<DevicePolicyEvent> closeAll(String appId, ChannelCloseCause cause) {
        return of(appId).stream()
                .<DevicePolicyEvent>map(c -> new ControlChannelClosed(appId, c.channelId(), cause))
                .toList();
    }

    /** Connected-standby exit: every software-slot channel is reset (wns-spec 7.9, 7.13 LowPowerExit). */
    public PolicyChanges resetSoftwareSlots(ControlChannelTriggerResetReason reason) {
        return reset(reason, c -> c.slot() == ControlChannelSlot.SoftwareSlot);
    }

    /** Every channel of every app is reset (e.g. fast user switch, quiet hours exit). */
    public PolicyChanges resetAll(ControlChannelTriggerResetReason reason) {
        return reset(reason, c -> true);
    }

    /** Every channel of one app is reset (e.g. the app restarted). */
    public PolicyChanges resetApp(String appId, ControlChannelTriggerResetReason reason) {
        return reset(reason, c -> c.appId().equals(appId));
    }

    private PolicyChanges reset(ControlChannelTriggerResetReason reason, Predicate<ControlChannel> which) {
        Map<String, List<ControlChannel>> byApp = new LinkedHashMap<>();
        for (ControlChannel c : channels) {
            if (which.test(c)) {
                byApp.computeIfAbsent(c.appId(), k -> new ArrayList<>()).add(c);
            }
        }
        List<DevicePolicyEvent> events = new ArrayList<>();
        List<DeviceNotification> notifications = new ArrayList<>();
        byApp.forEach((appId, reset) -> {
            events.add(new ControlChannelsReset(appId, reason, reset.stream().map(ControlChannel::channelId).toList()));
            notifications.add(new ControlChannelReset(appId, reason,
                    reset.stream().anyMatch(c -> c.slot() == ControlChannelSlot.HardwareSlot),
                    reset.stream().anyMatch(c -> c.slot() == ControlChannelSlot.SoftwareSlot)));
        });
        return new PolicyChanges(events, notifications);
    }

    private static Completed status(ControlChannelTriggerStatus status) {
        return new Completed(status, List.of());
    }

    // --- events ---

    /** Folds one event in; events of other concerns leave the channels as they are. */
    public ControlChannels apply(DevicePolicyEvent event) {
        if (event instanceof ControlChannelCreated e) {
            List<ControlChannel> newChannels = new ArrayList<>(channels);
            newChannels.removeIf(c -> c.appId().equals(e.appId()) && c.channelId().equals(e.channelId()));
            newChannels.add(new ControlChannel(e.appId(), e.channelId(), e.serverKeepAliveIntervalInMinutes(), e.slot()));
            return new ControlChannels(newChannels);
        }
        if (event instanceof ControlChannelClosed e) {
            return without(e.appId(), Set.of(e.channelId()));
        }
        if (event instanceof ControlChannelsReset e) {
            return without(e.appId(), new HashSet<>(e.channelIds()));
        }
        return this;
    }

    private ControlChannels without(String appId, Set<String> channelIds) {
        List<ControlChannel> newChannels = new ArrayList<>(channels);
        newChannels.removeIf(c -> c.appId().equals(appId) && channelIds.contains(c.channelId()));
        return new ControlChannels(newChannels);
    }
}
