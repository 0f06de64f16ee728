package io.wakeline.simulator;

import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.AppStateReport;
import io.wakeline.protocol.v1.BackgroundAccessStatus;
import io.wakeline.protocol.v1.BackgroundTaskAnswer;
import io.wakeline.protocol.v1.BackgroundTaskReport;
import io.wakeline.protocol.v1.BackgroundTaskRequest;
import io.wakeline.protocol.v1.BackgroundTaskVerdict;
import io.wakeline.protocol.v1.ControlChannelOperation;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.ControlChannelResourceType;
import io.wakeline.protocol.v1.ControlChannelStatus;
import io.wakeline.protocol.v1.DeviceCapabilities;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.LockScreenStatus;
import io.wakeline.protocol.v1.ManifestBackgroundTask;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.PowerSource;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.protocol.v1.SystemTrigger;
import io.wakeline.protocol.v1.TriggerKind;
import io.wakeline.protocol.v1.TriggerRegistration;
import io.wakeline.protocol.v1.TriggerRegistrationStatus;
import io.wakeline.simulator.DeviceModelState.Registration;
import io.wakeline.simulator.SimulatorCounters.Model;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The device side of the Windows 8 background model (wns-spec 5-8), played by every device when the model
 * is {@link DeviceModelMode#AUTOMATIC}, and the counting of device-model frames in every mode.
 *
 * <p>A device with the model on, after each Welcome: reports its power state and source and every app's
 * execution state; asks for the lock screen for the apps of its profile that have no answer yet, and answers
 * a consent prompt as its simulated user would; registers a PushNotificationTrigger (and a TimeTrigger where
 * the profile says so) for apps on the lock screen, a MaintenanceTrigger where the profile says so; creates
 * the control channels of its lock-screen apps (again on every link: the transport went with the old link,
 * wns-spec 7.14, and again on CONTROL_CHANNEL_RESET). Then, on its own clock: cycles between ACTIVE and
 * connected standby (or sleep, without connected-standby hardware), switches power source, moves apps between
 * foreground, suspended and not running, and on the scheduler tick asks to run its time and maintenance
 * triggers. A raw notification delivered as BACKGROUND_TASK, and a RUN answer, make it "run" the task and
 * report its usage; DEFERRED, QUOTA_EXHAUSTED and REFUSED are counted and asked again on the next tick.
 *
 * <p>The broker decides everything; the device never second-guesses it (it asks on battery, asleep or after
 * being removed from the lock screen alike), so the broker's rules are what the counters show.
 *
 * <p>Requests it sends carry ids of the form {@code kind << 24 | app << 8 | detail}, always at least 2^24, so
 * its answers can be told from answers to channel requests (ids 1..apps) and to scripted requests.
 */
final class DeviceModel {
    /** wns-spec 8.3: time and maintenance triggers fire on a 15-minute scheduler tick after freshness elapses. */
    private static final Duration SCHEDULER_TICK = Duration.ofMinutes(15);

    private static final int KIND_SHIFT = 24;
    private static final int APP_SHIFT = 8;
    private static final int APP_MASK = 0xFFFF;
    private static final int DETAIL_MASK = 0xFF;
    private static final int LOCK_SCREEN_KIND = 1;
    private static final int REGISTRATION_KIND = 2;
    private static final int CONTROL_CHANNEL_KIND = 3;
    private static final int TASK_KIND = 4;

    /** What the model needs from the selector loop. */
    interface Link {
        /** Queues one frame; false if the link was lost on the way. */
        boolean send(SimulatedDevice device, Envelope envelope);

        /** Replaces the device's pending model timer. */
        void scheduleModelTimer(SimulatedDevice device, long dueNanos);
    }

    private final DeviceModelMode mode;
    private final DevicePopulation population;
    private final long seed;
    private final int firstIndex;
    private final List<String> appIds;
    private final Map<String, Integer> appPositions = new HashMap<>();
    private final DeviceCapabilities configuredCapabilities;
    private final SimulatorCounters counters;
    private final Link link;

    private final long activeNanos;
    private final long standbyNanos;
    private final long powerSourceNanos;
    private final long appStateNanos;
    private final long freshnessNanos;
    private final long schedulerTickNanos;

    /** Apps whose raw notifications in the frames just read asked for a background task; reported after the Ack. */
    private final String[] pushTaskApps;
    private int pushTaskCount;

    DeviceModel(SimulatorConfig config, SimulatorCounters counters, Link link, int batchLimit) {
        this.mode = config.deviceModel();
        this.population = config.population();
        this.seed = config.seed();
        this.firstIndex = config.firstIndex();
        this.appIds = config.appIds();
        for (int i = 0; i < appIds.size(); i++) {
            appPositions.put(appIds.get(i), i);
        }
        this.configuredCapabilities = config.capabilities();
        this.counters = counters;
        this.link = link;
        this.activeNanos = population.realNanos(population.activePeriod());
        this.standbyNanos = population.realNanos(population.standbyPeriod());
        this.powerSourceNanos = population.realNanos(population.powerSourcePeriod());
        this.appStateNanos = population.realNanos(population.appStatePeriod());
        this.freshnessNanos = population.realNanos(Duration.ofMinutes(population.triggerFreshnessMinutes()));
        this.schedulerTickNanos = population.realNanos(SCHEDULER_TICK);
        this.pushTaskApps = new String[batchLimit];
    }

    /** The model state of the device at {@code position}, or null with the model off. */
    DeviceModelState newState(int position) {
        if (mode == DeviceModelMode.OFF) {
            return null;
        }
        long index = (long) firstIndex + position;
        DeviceModelState state = new DeviceModelState(population.profile(seed, index, appIds.size()),
                DevicePopulation.behaviourSeed(seed, index), index);
        for (int app = 0; app < appIds.size(); app++) {
            state.setAppState(app, drawAppState(state));
        }
        return state;
    }

    DeviceCapabilities capabilities(SimulatedDevice device) {
        return device.model == null ? configuredCapabilities : device.model.profile.hardware().capabilities();
    }

    // ---- the link's life

    /** Right after Welcome, before the channel requests: the device tells the broker where it stands. */
    void onLinked(SimulatedDevice device, long now) {
        DeviceModelState m = device.model;
        if (m == null) {
            return;
        }
        m.channelsCreated = 0;
        m.consentAnswered = 0;
        // registrations sent on a lost link and never answered are sent again
        System.arraycopy(m.registrationAccepted, 0, m.registrationSent, 0, Registration.COUNT);
        if (!m.started) {
            m.started = true;
            m.nextPowerChangeNanos = now + jittered(m, activeNanos);
            m.nextPowerSourceNanos = now + jittered(m, powerSourceNanos);
            m.nextAppStateNanos = now + jittered(m, appStateNanos);
            // the first tick falls anywhere in the first freshness interval, so devices linked together drift apart
            m.nextTriggerTickNanos = now + m.random.nextLong(freshnessNanos + 1);
        }
        if (!sendPowerReport(device)) {
            return;
        }
        for (int app = 0; app < appIds.size() && device.state == LinkState.LINKED; app++) {
            sendAppState(device, app, m.appState(app));
        }
    }

    /** After the channel requests: the apps pick up the lock screen, triggers and control channels. */
    void resumeApps(SimulatedDevice device, long now) {
        DeviceModelState m = device.model;
        if (m == null) {
            return;
        }
        DeviceProfile profile = m.profile;
        for (int app = 0; app < appIds.size() && device.state == LinkState.LINKED; app++) {
            long bit = 1L << app;
            if (profile.asksForLockScreen(app) && (m.lockScreenAnswered & bit) == 0) {
                requestLockScreen(device, app);
            }
            if ((m.onLockScreen & bit) != 0) {
                onLockScreenApp(device, app);
            }
            if (profile.usesMaintenanceTrigger(app) && !m.sent(Registration.MAINTENANCE, app)) {
                register(device, app, Registration.MAINTENANCE);
            }
        }
        if (device.state == LinkState.LINKED) {
            scheduleTimer(device, now);
        }
    }

    void onLinkClosed(SimulatedDevice device) {
        if (device.model != null) {
            device.model.timerGeneration++;
        }
    }

    // ---- frames from the broker

    /** LockScreenStatus, ControlChannelStatus, TriggerRegistrationStatus, BackgroundTaskAnswer, SystemTrigger. */
    void onFrame(SimulatedDevice device, Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case LOCK_SCREEN_STATUS -> onLockScreenStatus(device, envelope.getLockScreenStatus());
            case CONTROL_CHANNEL_STATUS -> countControlChannelStatus(envelope.getControlChannelStatus());
            case TRIGGER_REGISTRATION_STATUS -> onRegistrationStatus(device, envelope.getTriggerRegistrationStatus());
            case BACKGROUND_TASK_ANSWER -> onTaskAnswer(device, envelope.getBackgroundTaskAnswer());
            case SYSTEM_TRIGGER -> onSystemTrigger(device, envelope.getSystemTrigger());
            default -> {
                // the loop hands over only the frames above
            }
        }
    }

    private void onLockScreenStatus(SimulatedDevice device, LockScreenStatus status) {
        if (status.getShowConsentPrompt()) {
            counters.model(Model.LOCK_SCREEN_PROMPTS);
        } else if (isGranted(status.getStatus())) {
            counters.model(Model.LOCK_SCREEN_GRANTS);
        } else if (status.getStatus() == BackgroundAccessStatus.DENIED) {
            counters.model(Model.LOCK_SCREEN_DENIALS);
        }
        DeviceModelState m = device.model;
        int app = position(status.getAppId());
        if (m == null || app < 0) {
            return;
        }
        long bit = 1L << app;
        if (status.getShowConsentPrompt()) {
            // wns-spec 6.4: the dialog is shown once; the user's choice goes back with the same request id
            if ((m.consentAnswered & bit) != 0) {
                return;
            }
            m.consentAnswered |= bit;
            LockScreenConsent consent = m.random.nextDouble() < population.consentProbability()
                    ? LockScreenConsent.CONSENT_ALLOW : LockScreenConsent.CONSENT_DONT_ALLOW;
            send(device, Envelope.newBuilder().setLockScreenConsent(LockScreenConsentAnswer.newBuilder()
                    .setRequestId(status.getRequestId())
                    .setAppId(status.getAppId())
                    .setConsent(consent)).build());
            return;
        }
        m.lockScreenAnswered |= bit;
        if (isGranted(status.getStatus())) {
            onLockScreenApp(device, app);
        } else {
            leaveLockScreen(m, bit);
        }
    }

    /** Nothing to do for the apps: the broker's verdict on a channel is what the run measures. */
    private void countControlChannelStatus(ControlChannelStatus status) {
        if (!status.getRejection().isEmpty()) {
            counters.model(Model.CONTROL_CHANNEL_REJECTIONS);
        } else if (!status.getClosed()) {
            counters.controlChannelStatus(status.getStatus());
        }
    }

    private void onRegistrationStatus(SimulatedDevice device, TriggerRegistrationStatus status) {
        counters.model(status.getAccepted() ? Model.TRIGGER_REGISTRATIONS_ACCEPTED : Model.TRIGGER_REGISTRATIONS_REJECTED);
        DeviceModelState m = device.model;
        int id = status.getRequestId();
        int app = position(status.getAppId());
        if (m == null || app < 0 || kind(id) != REGISTRATION_KIND || !status.getAccepted()) {
            // a rejected registration is not sent again on this link
            return;
        }
        Registration registration = registrationOf(TriggerKind.forNumber(detail(id)));
        if (registration != null) {
            m.registrationAccepted[registration.ordinal()] |= 1L << app;
        }
    }

    private void onTaskAnswer(SimulatedDevice device, BackgroundTaskAnswer answer) {
        switch (answer.getVerdict()) {
            case RUN -> counters.model(Model.TASKS_ALLOWED);
            case DEFERRED -> counters.model(Model.TASKS_DEFERRED);
            case QUOTA_EXHAUSTED -> counters.model(Model.TASKS_QUOTA_EXHAUSTED);
            case REFUSED -> counters.model(Model.TASKS_REFUSED);
            default -> {
                // unknown verdicts are neither run nor counted
            }
        }
        int id = answer.getRequestId();
        if (device.model == null || kind(id) != TASK_KIND) {
            return;
        }
        TriggerKind trigger = TriggerKind.forNumber(detail(id));
        if (answer.getVerdict() == BackgroundTaskVerdict.RUN && trigger != null) {
            runTask(device, answer.getAppId(), trigger);
        }
        // anything else: the next scheduler tick asks again
    }

    private void onSystemTrigger(SimulatedDevice device, SystemTrigger trigger) {
        counters.model(Model.SYSTEM_TRIGGERS);
        DeviceModelState m = device.model;
        int app = position(trigger.getAppId());
        if (m == null || app < 0) {
            return;
        }
        long bit = 1L << app;
        switch (trigger.getTrigger()) {
            case LOCK_SCREEN_APPLICATION_ADDED -> {
                // wns-spec 6.9: the user added the app in PC settings
                m.lockScreenAnswered |= bit;
                onLockScreenApp(device, app);
            }
            case LOCK_SCREEN_APPLICATION_REMOVED -> {
                m.lockScreenAnswered |= bit;
                leaveLockScreen(m, bit);
            }
            case CONTROL_CHANNEL_RESET -> {
                // wns-spec 7.13: the remedy for every reset reason is to re-create the channels
                if ((m.onLockScreen & bit) != 0) {
                    createControlChannels(device, app);
                }
            }
            default -> {
                // other system triggers need no reaction from the simulated apps
            }
        }
    }

    /** Counts a raw notification's delivery and, with the model on, queues the background task it asks for. */
    void onNotification(SimulatedDevice device, Notification notification) {
        if (notification.getType() != NotificationType.RAW) {
            return;
        }
        switch (notification.getRawDelivery()) {
            case FOREGROUND_EVENT -> counters.model(Model.FOREGROUND_EVENTS);
            case BACKGROUND_TASK -> {
                counters.model(Model.BACKGROUND_TASK_DELIVERIES);
                if (device.model != null && pushTaskCount < pushTaskApps.length) {
                    pushTaskApps[pushTaskCount++] = notification.getAppId();
                }
            }
            default -> {
                // a raw for an older broker: no say on how it reaches the app
            }
        }
    }

    /** Runs the tasks queued by the frames just read; called once their Ack is on its way. */
    void flushPushTasks(SimulatedDevice device) {
        int count = pushTaskCount;
        pushTaskCount = 0;
        for (int i = 0; i < count && device.state == LinkState.LINKED; i++) {
            runTask(device, pushTaskApps[i], TriggerKind.PUSH_NOTIFICATION_TRIGGER);
        }
        Arrays.fill(pushTaskApps, 0, count, null);
    }

    void discardPushTasks() {
        Arrays.fill(pushTaskApps, 0, pushTaskCount, null);
        pushTaskCount = 0;
    }

    // ---- the device's own clock

    void onTimer(SimulatedDevice device, long now) {
        DeviceModelState m = device.model;
        if (cycles() && m.nextPowerChangeNanos - now <= 0) {
            boolean active = m.power == PowerState.ACTIVE;
            m.nextPowerChangeNanos = now + jittered(m, active ? standbyNanos : activeNanos);
            if (!changePower(device, active ? standbyState(m) : PowerState.ACTIVE)) {
                return;
            }
        }
        if (powerSourceNanos > 0 && m.nextPowerSourceNanos - now <= 0) {
            m.nextPowerSourceNanos = now + jittered(m, powerSourceNanos);
            PowerSource source = m.random.nextDouble() < population.batteryShare() ? PowerSource.BATTERY : PowerSource.MAINS;
            if (source != m.source) {
                m.source = source;
                if (!sendPowerReport(device)) {
                    return;
                }
            }
        }
        if (appStateNanos > 0 && m.nextAppStateNanos - now <= 0) {
            m.nextAppStateNanos = now + jittered(m, appStateNanos);
            // with the screen off nothing comes to the foreground; entering standby already suspended it
            if (m.power == PowerState.ACTIVE && !redrawAppStates(device)) {
                return;
            }
        }
        if (hasTriggers(m) && m.nextTriggerTickNanos - now <= 0) {
            m.nextTriggerTickNanos = now + freshnessNanos + m.random.nextLong(schedulerTickNanos + 1);
            if (!requestDueTasks(device)) {
                return;
            }
        }
        scheduleTimer(device, now);
    }

    private boolean changePower(SimulatedDevice device, PowerState state) {
        DeviceModelState m = device.model;
        m.power = state;
        if (!sendPowerReport(device)) {
            return false;
        }
        if (state != PowerState.ACTIVE) {
            for (int app = 0; app < appIds.size(); app++) {
                if (m.appState(app) == AppExecutionState.FOREGROUND
                        && !sendAppState(device, app, AppExecutionState.SUSPENDED)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean redrawAppStates(SimulatedDevice device) {
        DeviceModelState m = device.model;
        for (int app = 0; app < appIds.size(); app++) {
            AppExecutionState state = drawAppState(m);
            if (state != m.appState(app) && !sendAppState(device, app, state)) {
                return false;
            }
        }
        return true;
    }

    private boolean requestDueTasks(SimulatedDevice device) {
        DeviceModelState m = device.model;
        for (int app = 0; app < appIds.size(); app++) {
            if (m.accepted(Registration.TIME, app) && !requestTask(device, app, TriggerKind.TIME_TRIGGER)) {
                return false;
            }
            if (m.accepted(Registration.MAINTENANCE, app) && !requestTask(device, app, TriggerKind.MAINTENANCE_TRIGGER)) {
                return false;
            }
        }
        return true;
    }

    private void scheduleTimer(SimulatedDevice device, long now) {
        DeviceModelState m = device.model;
        boolean any = false;
        long due = 0;
        if (cycles()) {
            due = m.nextPowerChangeNanos;
            any = true;
        }
        if (powerSourceNanos > 0) {
            due = any ? earlier(due, m.nextPowerSourceNanos) : m.nextPowerSourceNanos;
            any = true;
        }
        if (appStateNanos > 0 && !appIds.isEmpty()) {
            due = any ? earlier(due, m.nextAppStateNanos) : m.nextAppStateNanos;
            any = true;
        }
        if (hasTriggers(m)) {
            due = any ? earlier(due, m.nextTriggerTickNanos) : m.nextTriggerTickNanos;
            any = true;
        }
        if (any) {
            link.scheduleModelTimer(device, due - now > 0 ? due : now);
        }
    }

    // ---- what the apps do

    private void requestLockScreen(SimulatedDevice device, int app) {
        DeviceModelState m = device.model;
        LockScreenRequest.Builder request = LockScreenRequest.newBuilder()
                .setRequestId(requestId(LOCK_SCREEN_KIND, app, 0))
                .setAppId(appIds.get(app))
                .addDeclaredTasks(ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION);
        // wns-spec 6.3: a lock-screen app declares control channel, timer or push notification tasks
        if (m.profile.usesControlChannels(app)) {
            request.addDeclaredTasks(ManifestBackgroundTask.MANIFEST_CONTROL_CHANNEL);
        }
        if (m.profile.usesTimeTrigger(app)) {
            request.addDeclaredTasks(ManifestBackgroundTask.MANIFEST_TIMER);
        }
        send(device, Envelope.newBuilder().setLockScreenRequest(request).build());
    }

    /** The app is on the lock screen: it registers its triggers and opens its channels, once per link. */
    private void onLockScreenApp(SimulatedDevice device, int app) {
        DeviceModelState m = device.model;
        long bit = 1L << app;
        m.onLockScreen |= bit;
        if (!m.sent(Registration.PUSH_NOTIFICATION, app) && !register(device, app, Registration.PUSH_NOTIFICATION)) {
            return;
        }
        if (m.profile.usesTimeTrigger(app) && !m.sent(Registration.TIME, app) && !register(device, app, Registration.TIME)) {
            return;
        }
        if ((m.channelsCreated & bit) == 0) {
            createControlChannels(device, app);
        }
    }

    private static void leaveLockScreen(DeviceModelState m, long bit) {
        m.onLockScreen &= ~bit;
        // the broker drops the channels with the lock screen; they are created again if the app returns
        m.channelsCreated &= ~bit;
    }

    private boolean register(SimulatedDevice device, int app, Registration registration) {
        DeviceModelState m = device.model;
        TriggerKind trigger = switch (registration) {
            case PUSH_NOTIFICATION -> TriggerKind.PUSH_NOTIFICATION_TRIGGER;
            case TIME -> TriggerKind.TIME_TRIGGER;
            case MAINTENANCE -> TriggerKind.MAINTENANCE_TRIGGER;
        };
        TriggerRegistration.Builder request = TriggerRegistration.newBuilder()
                .setRequestId(requestId(REGISTRATION_KIND, app, trigger.getNumber()))
                .setAppId(appIds.get(app))
                .setTrigger(trigger);
        if (registration != Registration.PUSH_NOTIFICATION) {
            request.setFreshnessMinutes(population.triggerFreshnessMinutes());
        }
        m.registrationSent[registration.ordinal()] |= 1L << app;
        return send(device, Envelope.newBuilder().setTriggerRegistration(request).build());
    }

    private void createControlChannels(SimulatedDevice device, int app) {
        DeviceModelState m = device.model;
        if (!m.profile.usesControlChannels(app)) {
            return;
        }
        m.channelsCreated |= 1L << app;
        for (int channel = 0; channel < population.controlChannelsPerApp(); channel++) {
            boolean hardware = population.requestsHardwareSlot(seed, m.deviceIndex, app, channel);
            if (!send(device, Envelope.newBuilder().setControlChannelRequest(ControlChannelRequest.newBuilder()
                    .setRequestId(requestId(CONTROL_CHANNEL_KIND, app, channel))
                    .setAppId(appIds.get(app))
                    .setChannelId(controlChannelId(app, channel))
                    .setServerKeepAliveMinutes(population.keepAliveMinutes())
                    .setResourceType(hardware ? ControlChannelResourceType.REQUEST_HARDWARE_SLOT
                            : ControlChannelResourceType.REQUEST_SOFTWARE_SLOT)
                    .setOperation(ControlChannelOperation.CREATE)).build())) {
                return;
            }
        }
    }

    /**
     * The app-level keep-alive of every control channel the device created (docs/protocol.md §15), sent with each
     * heartbeat: far more often than any server keep-alive interval (15+ minutes), so the channels never go stale.
     * A channel the broker refused is unknown to it, and its keep-alive ignored.
     */
    boolean sendControlKeepAlives(SimulatedDevice device) {
        DeviceModelState m = device.model;
        if (m == null || m.channelsCreated == 0) {
            return true;
        }
        for (int app = 0; app < appIds.size(); app++) {
            if ((m.channelsCreated & (1L << app)) == 0) {
                continue;
            }
            for (int channel = 0; channel < population.controlChannelsPerApp(); channel++) {
                if (!send(device, Envelope.newBuilder().setControlKeepAlive(io.wakeline.protocol.v1.ControlKeepAlive.newBuilder()
                        .setAppId(appIds.get(app)).setChannelId(controlChannelId(app, channel))).build())) {
                    return false;
                }
                counters.controlKeepAliveSent();
            }
        }
        return true;
    }

    /** Control channel ids a device with the model on uses: {@code cc-<app position>-<channel>}. */
    static String controlChannelId(int app, int channel) {
        return "cc-" + app + "-" + channel;
    }

    private boolean requestTask(SimulatedDevice device, int app, TriggerKind trigger) {
        return send(device, Envelope.newBuilder().setBackgroundTaskRequest(BackgroundTaskRequest.newBuilder()
                .setRequestId(requestId(TASK_KIND, app, trigger.getNumber()))
                .setAppId(appIds.get(app))
                .setTrigger(trigger)).build());
    }

    /** The task runs at once and reports what it used; the simulator does not spend the time. */
    private void runTask(SimulatedDevice device, String appId, TriggerKind trigger) {
        DeviceModelState m = device.model;
        counters.model(Model.BACKGROUND_TASKS_RUN);
        send(device, Envelope.newBuilder().setBackgroundTaskReport(BackgroundTaskReport.newBuilder()
                .setAppId(appId)
                .setTrigger(trigger)
                .setCpuMillis(population.taskCpuMillis().draw(m.random))
                .setNetworkBytes(population.taskNetworkBytes().draw(m.random))).build());
    }

    private boolean sendPowerReport(SimulatedDevice device) {
        DeviceModelState m = device.model;
        return send(device, Envelope.newBuilder().setPowerReport(PowerReport.newBuilder()
                .setPowerState(m.power)
                .setPowerSource(m.source)).build());
    }

    private boolean sendAppState(SimulatedDevice device, int app, AppExecutionState state) {
        device.model.setAppState(app, state);
        return send(device, Envelope.newBuilder().setAppStateReport(AppStateReport.newBuilder()
                .setAppId(appIds.get(app))
                .setState(state)).build());
    }

    private boolean send(SimulatedDevice device, Envelope envelope) {
        if (!link.send(device, envelope)) {
            return false;
        }
        countSent(envelope);
        return true;
    }

    /** Counts a device-model frame a device sent, on its own or for a script. */
    void countSent(Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case POWER_REPORT -> counters.model(Model.POWER_REPORTS);
            case APP_STATE_REPORT -> counters.model(Model.APP_STATE_REPORTS);
            case LOCK_SCREEN_REQUEST -> counters.model(Model.LOCK_SCREEN_REQUESTS);
            case LOCK_SCREEN_CONSENT -> counters.model(
                    envelope.getLockScreenConsent().getConsent() == LockScreenConsent.CONSENT_ALLOW
                            ? Model.CONSENTS_ALLOWED : Model.CONSENTS_DENIED);
            case TRIGGER_REGISTRATION -> counters.model(Model.TRIGGER_REGISTRATIONS);
            case CONTROL_CHANNEL_REQUEST -> counters.model(Model.CONTROL_CHANNEL_REQUESTS);
            case BACKGROUND_TASK_REQUEST -> counters.model(Model.TASK_REQUESTS);
            case BACKGROUND_TASK_REPORT -> counters.model(Model.TASK_REPORTS);
            default -> {
                // not a device-model frame
            }
        }
    }

    // ---- small pieces

    private AppExecutionState drawAppState(DeviceModelState m) {
        if (m.random.nextDouble() < population.foregroundShare()) {
            return AppExecutionState.FOREGROUND;
        }
        return m.random.nextDouble() < population.suspendedShare() ? AppExecutionState.SUSPENDED
                : AppExecutionState.NOT_RUNNING;
    }

    private static PowerState standbyState(DeviceModelState m) {
        return m.profile.hardware().entersConnectedStandby() ? PowerState.CONNECTED_STANDBY : PowerState.SLEEP;
    }

    private boolean cycles() {
        return activeNanos > 0 && standbyNanos > 0;
    }

    private boolean hasTriggers(DeviceModelState m) {
        return (m.profile.timeTriggerApps() | m.profile.maintenanceTriggerApps()) != 0;
    }

    /** Uniform in [period / 2, 3 period / 2]. */
    private static long jittered(DeviceModelState m, long periodNanos) {
        return periodNanos / 2 + m.random.nextLong(periodNanos + 1);
    }

    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    private static boolean isGranted(BackgroundAccessStatus status) {
        return status == BackgroundAccessStatus.ALLOWED_WITH_ALWAYS_ON_REAL_TIME_CONNECTIVITY
                || status == BackgroundAccessStatus.ALLOWED_MAY_USE_ACTIVE_REAL_TIME_CONNECTIVITY;
    }

    private static Registration registrationOf(TriggerKind trigger) {
        if (trigger == null) {
            return null;
        }
        return switch (trigger) {
            case PUSH_NOTIFICATION_TRIGGER -> Registration.PUSH_NOTIFICATION;
            case TIME_TRIGGER -> Registration.TIME;
            case MAINTENANCE_TRIGGER -> Registration.MAINTENANCE;
            default -> null;
        };
    }

    private int position(String appId) {
        Integer app = appPositions.get(appId);
        return app == null ? -1 : app;
    }

    private static int requestId(int kind, int app, int detail) {
        return kind << KIND_SHIFT | (app & APP_MASK) << APP_SHIFT | (detail & DETAIL_MASK);
    }

    private static int kind(int requestId) {
        return requestId >>> KIND_SHIFT;
    }

    private static int detail(int requestId) {
        return requestId & DETAIL_MASK;
    }
}
