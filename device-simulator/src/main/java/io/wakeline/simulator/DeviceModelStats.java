package io.wakeline.simulator;

import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Running totals of the Windows device model across the fleet. Frames are counted whoever made the device
 * send them (its own behaviour or {@link DeviceSimulator#send}); answers are counted in every mode.
 *
 * @param mode                          what the devices do on their own
 * @param powerReports                  PowerReport frames sent (the one after each Welcome and every change)
 * @param appStateReports               AppStateReport frames sent
 * @param lockScreenRequests            LockScreenRequest frames sent
 * @param lockScreenPrompts             LockScreenStatus frames asking the device to show the consent dialog
 * @param consentsAllowed               LockScreenConsentAnswer frames sent with CONSENT_ALLOW
 * @param consentsDenied                ... with any other answer
 * @param lockScreenGrants              LockScreenStatus frames with an ALLOWED_* status
 * @param lockScreenDenials             LockScreenStatus frames with DENIED
 * @param triggerRegistrations          TriggerRegistration frames sent
 * @param triggerRegistrationsAccepted  TriggerRegistrationStatus frames accepting one
 * @param triggerRegistrationsRejected  ... rejecting one
 * @param controlChannelRequests        ControlChannelRequest frames sent
 * @param controlChannelStatuses        ControlChannelStatus frames for a CREATE, by status; absent when never seen
 * @param controlChannelRejections      ControlChannelStatus frames refusing the request itself ({@code rejection} set)
 * @param taskRequests                  BackgroundTaskRequest frames sent (time and maintenance triggers)
 * @param tasksAllowed                  BackgroundTaskAnswer RUN
 * @param tasksDeferred                 BackgroundTaskAnswer DEFERRED
 * @param tasksQuotaExhausted           BackgroundTaskAnswer QUOTA_EXHAUSTED
 * @param tasksRefused                  BackgroundTaskAnswer REFUSED
 * @param backgroundTasksRun            tasks the devices ran on their own (raw BACKGROUND_TASK or a RUN answer)
 * @param taskReports                   BackgroundTaskReport frames sent
 * @param systemTriggers                SystemTrigger frames received
 * @param foregroundEvents              raw notifications delivered as FOREGROUND_EVENT
 * @param backgroundTaskDeliveries      raw notifications delivered as BACKGROUND_TASK
 */
public record DeviceModelStats(
        DeviceModelMode mode,
        long powerReports,
        long appStateReports,
        long lockScreenRequests,
        long lockScreenPrompts,
        long consentsAllowed,
        long consentsDenied,
        long lockScreenGrants,
        long lockScreenDenials,
        long triggerRegistrations,
        long triggerRegistrationsAccepted,
        long triggerRegistrationsRejected,
        long controlChannelRequests,
        Map<ControlChannelTriggerStatus, Long> controlChannelStatuses,
        long controlChannelRejections,
        long taskRequests,
        long tasksAllowed,
        long tasksDeferred,
        long tasksQuotaExhausted,
        long tasksRefused,
        long backgroundTasksRun,
        long taskReports,
        long systemTriggers,
        long foregroundEvents,
        long backgroundTaskDeliveries) {

    public DeviceModelStats {
        controlChannelStatuses = controlChannelStatuses.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(controlChannelStatuses));
    }

    public long controlChannelStatus(ControlChannelTriggerStatus status) {
        return controlChannelStatuses.getOrDefault(status, 0L);
    }

    /** Whether any device-model frame went either way. */
    public boolean anyTraffic() {
        return powerReports + appStateReports + lockScreenRequests + lockScreenPrompts + lockScreenGrants
                + lockScreenDenials + triggerRegistrations + controlChannelRequests + taskRequests + taskReports
                + systemTriggers + foregroundEvents + backgroundTaskDeliveries > 0;
    }

    /**
     * The compact part of the summary line, e.g.
     * {@code power=12 apps=30 lock=9/7+2-/p9 consent=7/2 trig=20/20+0- cc=5{HW=3,SW=2} tasks=40:35/3/1/1 ran=80 reports=80 sys=4 raw=fg:10/bg:45}:
     * lock = requests/grants+denials-/prompts, trig = sent/accepted+rejected-,
     * cc = requests{status counts, X = rejected}, tasks = requests:run/deferred/exhausted/refused.
     */
    public String summary() {
        String statuses = controlChannelStatuses.entrySet().stream()
                .map(entry -> abbreviation(entry.getKey()) + "=" + entry.getValue())
                .collect(Collectors.joining(","));
        if (controlChannelRejections > 0) {
            statuses += (statuses.isEmpty() ? "" : ",") + "X=" + controlChannelRejections;
        }
        return "power=" + powerReports
                + " apps=" + appStateReports
                + " lock=" + lockScreenRequests + "/" + lockScreenGrants + "+" + lockScreenDenials + "-/p" + lockScreenPrompts
                + " consent=" + consentsAllowed + "/" + consentsDenied
                + " trig=" + triggerRegistrations + "/" + triggerRegistrationsAccepted + "+" + triggerRegistrationsRejected + "-"
                + " cc=" + controlChannelRequests + "{" + statuses + "}"
                + " tasks=" + taskRequests + ":" + tasksAllowed + "/" + tasksDeferred + "/" + tasksQuotaExhausted
                + "/" + tasksRefused
                + " ran=" + backgroundTasksRun
                + " reports=" + taskReports
                + " sys=" + systemTriggers
                + " raw=fg:" + foregroundEvents + "/bg:" + backgroundTaskDeliveries;
    }

    private static String abbreviation(ControlChannelTriggerStatus status) {
        return switch (status) {
            case HARDWARE_SLOT_REQUESTED -> "HWREQ";
            case SOFTWARE_SLOT_ALLOCATED -> "SW";
            case HARDWARE_SLOT_ALLOCATED -> "HW";
            case POLICY_ERROR -> "POLICY";
            case SYSTEM_ERROR -> "SYSERR";
            case TRANSPORT_DISCONNECTED -> "DISC";
            case SERVICE_UNAVAILABLE -> "UNAVAIL";
            case UNRECOGNIZED -> "?";
        };
    }
}
