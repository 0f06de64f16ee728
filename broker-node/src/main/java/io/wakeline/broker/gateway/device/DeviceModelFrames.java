package io.wakeline.broker.gateway.device;

import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.ControlChannelTriggerResetReason;
import io.wakeline.broker.device.policy.ControlChannelTriggerResourceType;
import io.wakeline.broker.device.policy.DeviceNotification;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.TriggerKind;
import io.wakeline.protocol.v1.BackgroundAccessStatus;
import io.wakeline.protocol.v1.BackgroundTaskAnswer;
import io.wakeline.protocol.v1.BackgroundTaskVerdict;
import io.wakeline.protocol.v1.ControlChannelResetReason;
import io.wakeline.protocol.v1.ControlChannelStatus;
import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.LockScreenStatus;
import io.wakeline.protocol.v1.SystemTrigger;
import io.wakeline.protocol.v1.SystemTriggerType;
import io.wakeline.protocol.v1.TriggerRegistrationStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Translation between the device-model frames of the link (docs/protocol.md "Device model") and the
 * device entity's commands and answers. Pure mapping: no state, no I/O. An unspecified or unknown wire
 * value maps to empty, which the session answers with INVALID_REQUEST.
 */
final class DeviceModelFrames {
    private DeviceModelFrames() {
    }

    static Set<ManifestBackgroundTask> tasks(List<io.wakeline.protocol.v1.ManifestBackgroundTask> wire) {
        Set<ManifestBackgroundTask> tasks = EnumSet.noneOf(ManifestBackgroundTask.class);
        for (io.wakeline.protocol.v1.ManifestBackgroundTask task : wire) {
            switch (task) {
                case MANIFEST_CONTROL_CHANNEL -> tasks.add(ManifestBackgroundTask.ControlChannel);
                case MANIFEST_PUSH_NOTIFICATION -> tasks.add(ManifestBackgroundTask.PushNotification);
                case MANIFEST_TIMER -> tasks.add(ManifestBackgroundTask.Timer);
                case MANIFEST_SYSTEM_EVENT -> tasks.add(ManifestBackgroundTask.SystemEvent);
                default -> { }
            }
        }
        return tasks;
    }

    static Optional<LockScreenConsent> consent(io.wakeline.protocol.v1.LockScreenConsent wire) {
        return switch (wire) {
            case CONSENT_ALLOW -> Optional.of(LockScreenConsent.Allow);
            case CONSENT_DONT_ALLOW -> Optional.of(LockScreenConsent.DontAllow);
            case CONSENT_DISMISSED -> Optional.of(LockScreenConsent.Dismissed);
            default -> Optional.empty();
        };
    }

    static Optional<PowerState> powerState(io.wakeline.protocol.v1.PowerState wire) {
        return switch (wire) {
            case ACTIVE -> Optional.of(PowerState.Active);
            case CONNECTED_STANDBY -> Optional.of(PowerState.ConnectedStandby);
            case SLEEP -> Optional.of(PowerState.Sleep);
            default -> Optional.empty();
        };
    }

    static Optional<PowerSource> powerSource(io.wakeline.protocol.v1.PowerSource wire) {
        return switch (wire) {
            case BATTERY -> Optional.of(PowerSource.Battery);
            case MAINS -> Optional.of(PowerSource.Mains);
            default -> Optional.empty();
        };
    }

    static Optional<AppExecutionState> appState(io.wakeline.protocol.v1.AppExecutionState wire) {
        return switch (wire) {
            case FOREGROUND -> Optional.of(AppExecutionState.Foreground);
            case SUSPENDED -> Optional.of(AppExecutionState.Suspended);
            case NOT_RUNNING -> Optional.of(AppExecutionState.NotRunning);
            default -> Optional.empty();
        };
    }

    static Optional<TriggerKind> trigger(io.wakeline.protocol.v1.TriggerKind wire) {
        return switch (wire) {
            case PUSH_NOTIFICATION_TRIGGER -> Optional.of(TriggerKind.PushNotificationTrigger);
            case CONTROL_CHANNEL_TRIGGER -> Optional.of(TriggerKind.ControlChannelTrigger);
            case TIME_TRIGGER -> Optional.of(TriggerKind.TimeTrigger);
            case MAINTENANCE_TRIGGER -> Optional.of(TriggerKind.MaintenanceTrigger);
            case SYSTEM_TRIGGER -> Optional.of(TriggerKind.SystemTrigger);
            default -> Optional.empty();
        };
    }

    static ControlChannelTriggerResourceType resourceType(io.wakeline.protocol.v1.ControlChannelResourceType wire) {
        return wire == io.wakeline.protocol.v1.ControlChannelResourceType.REQUEST_HARDWARE_SLOT
                ? ControlChannelTriggerResourceType.RequestHardwareSlot
                : ControlChannelTriggerResourceType.RequestSoftwareSlot; // wns-spec 7.3: software is the default
    }

    static Optional<ControlChannelTriggerResetReason> resetReason(ControlChannelResetReason wire) {
        return switch (wire) {
            case FAST_USER_SWITCHED -> Optional.of(ControlChannelTriggerResetReason.FastUserSwitched);
            case LOW_POWER_EXIT -> Optional.of(ControlChannelTriggerResetReason.LowPowerExit);
            case QUIET_HOURS_EXIT -> Optional.of(ControlChannelTriggerResetReason.QuietHoursExit);
            case APPLICATION_RESTART -> Optional.of(ControlChannelTriggerResetReason.ApplicationRestart);
            default -> Optional.empty();
        };
    }

    static Envelope lockScreenStatus(int requestId, DeviceEntity.LockScreenAnswer answer) {
        return Envelope.newBuilder().setLockScreenStatus(LockScreenStatus.newBuilder()
                .setRequestId(requestId)
                .setAppId(answer.appId())
                .setStatus(BackgroundAccessStatus.forNumber(answer.status().value()))
                .setShowConsentPrompt(answer.showConsentPrompt())
                .setRejection(answer.rejection().wireName())).build();
    }

    static Envelope controlChannelStatus(int requestId, DeviceEntity.ControlChannelAnswer answer) {
        ControlChannelStatus.Builder status = ControlChannelStatus.newBuilder()
                .setRequestId(requestId)
                .setAppId(answer.appId())
                .setChannelId(answer.channelId())
                .setClosed(answer.closed())
                .setRejection(answer.rejection().wireName())
                .setControlChannelUri(answer.controlChannelUri());
        answer.status().ifPresent(s -> status.setStatus(ControlChannelTriggerStatus.forNumber(s.value())));
        return Envelope.newBuilder().setControlChannelStatus(status).build();
    }

    static Envelope triggerStatus(int requestId, DeviceEntity.TriggerAnswer answer) {
        return Envelope.newBuilder().setTriggerRegistrationStatus(TriggerRegistrationStatus.newBuilder()
                .setRequestId(requestId)
                .setAppId(answer.appId())
                .setAccepted(answer.accepted())
                .setRejection(answer.rejection().wireName())).build();
    }

    static Envelope taskAnswer(int requestId, DeviceEntity.BackgroundTaskAnswer answer) {
        BackgroundTaskVerdict verdict = switch (answer.verdict()) {
            case RUN -> BackgroundTaskVerdict.RUN;
            case DEFERRED -> BackgroundTaskVerdict.DEFERRED;
            case QUOTA_EXHAUSTED -> BackgroundTaskVerdict.QUOTA_EXHAUSTED;
            case REFUSED -> BackgroundTaskVerdict.REFUSED;
        };
        return Envelope.newBuilder().setBackgroundTaskAnswer(BackgroundTaskAnswer.newBuilder()
                .setRequestId(requestId)
                .setAppId(answer.appId())
                .setVerdict(verdict)
                .setRefillAtMillis(answer.refillAtMillis())
                .setReason(answer.reason())).build();
    }

    static Envelope systemTrigger(DeviceNotification notification) {
        SystemTrigger.Builder trigger = SystemTrigger.newBuilder().setAppId(notification.appId());
        if (notification instanceof DeviceNotification.SystemTriggerRaised raised) {
            trigger.setTrigger(SystemTriggerType.forNumber(raised.trigger().value()));
        } else if (notification instanceof DeviceNotification.ControlChannelReset reset) {
            trigger.setTrigger(SystemTriggerType.CONTROL_CHANNEL_RESET)
                    .setResetReason(ControlChannelResetReason.forNumber(reset.resetReason().value()))
                    .setHardwareSlotReset(reset.hardwareSlotReset())
                    .setSoftwareSlotReset(reset.softwareSlotReset());
        }
        return Envelope.newBuilder().setSystemTrigger(trigger).build();
    }
}
