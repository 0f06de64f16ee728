package io.wakeline.broker.device.policy;

import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.device.policy.AccessDecision.AccessRejection;
import io.wakeline.broker.device.policy.AccessDecision.Answer;
import io.wakeline.broker.device.policy.AccessDecision.PromptUser;
import io.wakeline.broker.device.policy.AccessDecision.Rejected;
import io.wakeline.broker.device.policy.DeviceNotification.SystemTriggerRaised;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenAppAdded;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenAppRemoved;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenConsentAnswered;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenConsentPrompted;
import io.wakeline.broker.device.policy.DevicePolicyEvent.RealTimeConnectivityGranted;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The device's lock screen: which apps are on it, with which {@link BackgroundAccessStatus}, and what each app's
 * user said to its one consent dialog. Immutable; decisions return events, {@link #apply} folds them in.
 *
 * <p>Rules:
 * <ul>
 *   <li>At most {@value #CAPACITY} apps, each at most once (wns-spec 6.1).</li>
 *   <li>Only apps whose manifest declares controlChannel, timer or pushNotification may join (wns-spec 6.3);
 *       others get {@code Denied} without a dialog.</li>
 *   <li>An app prompts its user once (wns-spec 6.4, 6.5). "Allow" adds it; "Don't allow" makes every later request
 *       return {@code Denied} without UI. A dismissed dialog answers {@code Unspecified} and may be shown again,
 *       because no choice was made (wns-spec 6.6). While a dialog is pending, a repeated request asks the device
 *       to show that same dialog (no second prompt is recorded). A full lock screen answers {@code Denied} without
 *       a dialog and without using up the app's prompt.</li>
 *   <li>Real-time connectivity (wns-spec 6.6, 6.7; {@code BackgroundAccessStatus} remarks; seed 000 slot table):
 *       there are {@value #REAL_TIME_CONNECTIVITY_SLOTS} hardware RTC slots. An app that declares controlChannel
 *       takes a free one when it joins and is {@code AllowedWithAlwaysOnRealTimeConnectivity}. If none is free it
 *       joins as {@code AllowedMayUseActiveRealTimeConnectivity} when it also declares timer or pushNotification,
 *       and is {@code Denied} (not added) when controlChannel is its only task type. Apps without controlChannel
 *       are always {@code AllowedMayUseActiveRealTimeConnectivity}. A later silent request of a lock-screen app
 *       without RTC takes a slot that has freed up. An app keeps its slot while it stays on the lock screen;
 *       leaving frees it. Only slot holders get hardware control-channel slots ({@link ControlChannels}), so "the
 *       first three lock-screen apps that register hardware slots" are always among the three holders, and
 *       lock-screen apps 4–7 get software slots only.</li>
 *   <li>After the user allowed an app that could not be added (lock screen full, or no RTC slot for a
 *       controlChannel-only app), a later request adds it silently once it fits.</li>
 *   <li>Leaving the lock screen (user in PC settings, or {@code RemoveAccess()}, wns-spec 6.8) ends the app's
 *       consent: later requests return {@code Denied} without UI; only the user can add it again from PC settings
 *       ({@link #addByUser}).</li>
 *   <li>Joining and leaving raise {@code LockScreenApplicationAdded} / {@code LockScreenApplicationRemoved} for the
 *       app (wns-spec 6.9).</li>
 * </ul>
 *
 * @param apps     the lock-screen apps in the order they joined
 * @param consents per app that ever asked: where its consent stands
 */
public record LockScreen(List<LockScreenApp> apps, Map<String, AppConsent> consents) implements CborSerializable {

    /** wns-spec 6.1. */
    public static final int CAPACITY = 7;
    /** seed 000: "the first 3 lock screen apps" get hardware slots. */
    public static final int REAL_TIME_CONNECTIVITY_SLOTS = 3;

    public static final LockScreen EMPTY = new LockScreen(List.of(), Map.of());

    public LockScreen {
        apps = List.copyOf(apps);
        consents = Map.copyOf(consents);
    }

    /** Where an app's consent stands; {@code declaredTasks} as last reported. */
    public record AppConsent(ConsentState state, Set<ManifestBackgroundTask> declaredTasks) implements CborSerializable {
        public AppConsent {
            declaredTasks = Set.copyOf(declaredTasks);
        }
    }

    public enum ConsentState {
        /** The dialog is showing. */
        Prompted,
        /** The user chose "Allow", or added the app in PC settings. */
        Allowed,
        /** The user chose "Don't allow". */
        Refused,
        /** The user closed the dialog without choosing. */
        Dismissed,
        /** The app was on the lock screen and left it. */
        RemovedFromLockScreen
    }

    // --- queries ---

    public boolean contains(String appId) {
        return app(appId).isPresent();
    }

    public Optional<LockScreenApp> app(String appId) {
        return apps.stream().filter(a -> a.appId().equals(appId)).findFirst();
    }

    /** {@code GetAccessStatus()}: the app's current status, without side effects. */
    public BackgroundAccessStatus status(String appId) {
        Optional<LockScreenApp> member = app(appId);
        if (member.isPresent()) {
            return member.get().status();
        }
        AppConsent consent = consents.get(appId);
        if (consent == null) {
            return BackgroundAccessStatus.Unspecified;
        }
        return switch (consent.state()) {
            case Prompted, Dismissed -> BackgroundAccessStatus.Unspecified;
            case Allowed, Refused, RemovedFromLockScreen -> BackgroundAccessStatus.Denied;
        };
    }

    /** How many of the {@value #REAL_TIME_CONNECTIVITY_SLOTS} real-time-connectivity slots are held. */
    public int realTimeConnectivityHolders() {
        return (int) apps.stream().filter(LockScreenApp::holdsRealTimeConnectivity).count();
    }

    // --- decisions ---

    /** {@code BackgroundExecutionManager.RequestAccessAsync()} by the app. */
    public AccessDecision requestAccess(String appId, Set<ManifestBackgroundTask> declaredTasks) {
        Optional<LockScreenApp> member = app(appId);
        if (member.isPresent()) {
            return silentReRequest(member.get(), declaredTasks);
        }
        if (!lockScreenCapable(declaredTasks)) {
            return Answer.unchanged(BackgroundAccessStatus.Denied);
        }
        AppConsent consent = consents.get(appId);
        if (consent == null) {
            return promptIfRoom(appId, declaredTasks);
        }
        return switch (consent.state()) {
            case Prompted -> new PromptUser(List.of());
            case Dismissed -> promptIfRoom(appId, declaredTasks);
            case Refused, RemovedFromLockScreen -> Answer.unchanged(BackgroundAccessStatus.Denied);
            case Allowed -> admitOrDeny(appId, declaredTasks, List.of());
        };
    }

    /** The device's user answered the consent dialog. */
    public AccessDecision answerConsent(String appId, LockScreenConsent answer) {
        AppConsent consent = consents.get(appId);
        if (consent == null || consent.state() != ConsentState.Prompted) {
            return new Rejected(AccessRejection.NoPromptPending);
        }
        List<DevicePolicyEvent> answered = List.of(new LockScreenConsentAnswered(appId, answer));
        return switch (answer) {
            case DontAllow -> new Answer(BackgroundAccessStatus.Denied, answered, List.of());
            case Dismissed -> new Answer(BackgroundAccessStatus.Unspecified, answered, List.of());
            case Allow -> admitOrDeny(appId, consent.declaredTasks(), answered);
        };
    }

    /** The user added the app in PC settings; the way back after "Don't allow" or a removal (wns-spec 6.5). */
    public AccessDecision addByUser(String appId, Set<ManifestBackgroundTask> declaredTasks) {
        if (contains(appId)) {
            return new Rejected(AccessRejection.AlreadyOnLockScreen);
        }
        Admission admission = admission(declaredTasks);
        return switch (admission) {
            case NotCapable -> new Rejected(AccessRejection.NotLockScreenCapable);
            case Full -> new Rejected(AccessRejection.LockScreenFull);
            case NoRealTimeConnectivitySlot -> new Rejected(AccessRejection.NoRealTimeConnectivitySlot);
            case WithRealTimeConnectivity, WithoutRealTimeConnectivity -> added(appId, declaredTasks, admission, List.of());
        };
    }

    /** The app leaves the lock screen. Its control channels are the caller's business ({@link DevicePolicy}). */
    public LockScreenRemoval remove(String appId, LockScreenRemovalCause cause) {
        if (!contains(appId)) {
            return new LockScreenRemoval.NotOnLockScreen();
        }
        return new LockScreenRemoval.Removed(
                List.of(new LockScreenAppRemoved(appId, cause)),
                List.of(new SystemTriggerRaised(appId, SystemTriggerType.LockScreenApplicationRemoved)));
    }

    // --- events ---

    /** Folds one event in; events of other concerns leave the lock screen as it is. */
    public LockScreen apply(DevicePolicyEvent event) {
        if (event instanceof LockScreenConsentPrompted e) {
            return withConsent(e.appId(), new AppConsent(ConsentState.Prompted, e.declaredTasks()));
        }
        if (event instanceof LockScreenConsentAnswered e) {
            ConsentState state = switch (e.consent()) {
                case Allow -> ConsentState.Allowed;
                case DontAllow -> ConsentState.Refused;
                case Dismissed -> ConsentState.Dismissed;
            };
            return withConsent(e.appId(), new AppConsent(state, declaredTasksOf(e.appId())));
        }
        if (event instanceof LockScreenAppAdded e) {
            List<LockScreenApp> newApps = new ArrayList<>(apps);
            newApps.removeIf(a -> a.appId().equals(e.appId()));
            newApps.add(new LockScreenApp(e.appId(), e.status(), e.declaredTasks()));
            return new LockScreen(newApps, consentsWith(e.appId(), new AppConsent(ConsentState.Allowed, e.declaredTasks())));
        }
        if (event instanceof RealTimeConnectivityGranted e) {
            List<LockScreenApp> newApps = new ArrayList<>(apps.size());
            for (LockScreenApp a : apps) {
                newApps.add(a.appId().equals(e.appId())
                        ? a.withStatus(BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity)
                        : a);
            }
            return new LockScreen(newApps, consents);
        }
        if (event instanceof LockScreenAppRemoved e) {
            List<LockScreenApp> newApps = new ArrayList<>(apps);
            newApps.removeIf(a -> a.appId().equals(e.appId()));
            return new LockScreen(newApps,
                    consentsWith(e.appId(), new AppConsent(ConsentState.RemovedFromLockScreen, declaredTasksOf(e.appId()))));
        }
        return this;
    }

    // --- rules ---

    private enum Admission {
        WithRealTimeConnectivity,
        WithoutRealTimeConnectivity,
        NotCapable,
        Full,
        NoRealTimeConnectivitySlot
    }

    /** wns-spec 6.3. */
    private static boolean lockScreenCapable(Set<ManifestBackgroundTask> declared) {
        return declared.contains(ManifestBackgroundTask.ControlChannel)
                || declared.contains(ManifestBackgroundTask.Timer)
                || declared.contains(ManifestBackgroundTask.PushNotification);
    }

    /** wns-spec 6.1, 6.3, 6.6, 6.7 and the {@code BackgroundAccessStatus} remarks. */
    private Admission admission(Set<ManifestBackgroundTask> declared) {
        if (!lockScreenCapable(declared)) {
            return Admission.NotCapable;
        }
        if (apps.size() >= CAPACITY) {
            return Admission.Full;
        }
        if (!declared.contains(ManifestBackgroundTask.ControlChannel)) {
            return Admission.WithoutRealTimeConnectivity;
        }
        if (realTimeConnectivityHolders() < REAL_TIME_CONNECTIVITY_SLOTS) {
            return Admission.WithRealTimeConnectivity;
        }
        boolean alsoOtherLockScreenTask = declared.contains(ManifestBackgroundTask.Timer)
                || declared.contains(ManifestBackgroundTask.PushNotification);
        return alsoOtherLockScreenTask ? Admission.WithoutRealTimeConnectivity : Admission.NoRealTimeConnectivitySlot;
    }

    /** Never asked, or no choice made: the dialog may be shown, unless there is no room for the app. */
    private AccessDecision promptIfRoom(String appId, Set<ManifestBackgroundTask> declared) {
        if (apps.size() >= CAPACITY) {
            return Answer.unchanged(BackgroundAccessStatus.Denied);
        }
        return new PromptUser(List.of(new LockScreenConsentPrompted(appId, declared)));
    }

    private AccessDecision admitOrDeny(String appId, Set<ManifestBackgroundTask> declared,
            List<DevicePolicyEvent> before) {
        Admission admission = admission(declared);
        return switch (admission) {
            case WithRealTimeConnectivity, WithoutRealTimeConnectivity -> added(appId, declared, admission, before);
            case NotCapable, Full, NoRealTimeConnectivitySlot -> new Answer(BackgroundAccessStatus.Denied, before, List.of());
        };
    }

    private static Answer added(String appId, Set<ManifestBackgroundTask> declared, Admission admission,
            List<DevicePolicyEvent> before) {
        BackgroundAccessStatus status = admission == Admission.WithRealTimeConnectivity
                ? BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity
                : BackgroundAccessStatus.AllowedMayUseActiveRealTimeConnectivity;
        List<DevicePolicyEvent> events = new ArrayList<>(before);
        events.add(new LockScreenAppAdded(appId, status, declared));
        return new Answer(status, events,
                List.of(new SystemTriggerRaised(appId, SystemTriggerType.LockScreenApplicationAdded)));
    }

    /** wns-spec 6.5, 6.7: no UI; take a freed RTC slot if the app wants one. */
    private Answer silentReRequest(LockScreenApp member, Set<ManifestBackgroundTask> declared) {
        boolean upgrade = !member.holdsRealTimeConnectivity()
                && declared.contains(ManifestBackgroundTask.ControlChannel)
                && realTimeConnectivityHolders() < REAL_TIME_CONNECTIVITY_SLOTS;
        if (!upgrade) {
            return Answer.unchanged(member.status());
        }
        return new Answer(BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity,
                List.of(new RealTimeConnectivityGranted(member.appId())), List.of());
    }

    private Set<ManifestBackgroundTask> declaredTasksOf(String appId) {
        AppConsent consent = consents.get(appId);
        if (consent != null) {
            return consent.declaredTasks();
        }
        return app(appId).map(LockScreenApp::declaredTasks).orElse(Set.of());
    }

    private LockScreen withConsent(String appId, AppConsent consent) {
        return new LockScreen(apps, consentsWith(appId, consent));
    }

    private Map<String, AppConsent> consentsWith(String appId, AppConsent consent) {
        Map<String, AppConsent> newConsents = new HashMap<>(consents);
        newConsents.put(appId, consent);
        return newConsents;
    }
}
