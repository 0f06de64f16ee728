package io.wakeline.broker.device.policy;

import static io.wakeline.broker.device.policy.BackgroundAccessStatus.AllowedMayUseActiveRealTimeConnectivity;
import static io.wakeline.broker.device.policy.BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity;
import static io.wakeline.broker.device.policy.BackgroundAccessStatus.Denied;
import static io.wakeline.broker.device.policy.BackgroundAccessStatus.Unspecified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.policy.AccessDecision.AccessRejection;
import io.wakeline.broker.device.policy.AccessDecision.Answer;
import io.wakeline.broker.device.policy.AccessDecision.PromptUser;
import io.wakeline.broker.device.policy.DeviceNotification.SystemTriggerRaised;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenAppAdded;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenConsentPrompted;
import io.wakeline.broker.device.policy.DevicePolicyEvent.RealTimeConnectivityGranted;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LockScreenTest {

    private static final Set<ManifestBackgroundTask> RTC_AND_TIMER =
            EnumSet.of(ManifestBackgroundTask.ControlChannel, ManifestBackgroundTask.Timer);
    private static final Set<ManifestBackgroundTask> RTC_AND_PUSH =
            EnumSet.of(ManifestBackgroundTask.ControlChannel, ManifestBackgroundTask.PushNotification);
    private static final Set<ManifestBackgroundTask> RTC_ONLY = EnumSet.of(ManifestBackgroundTask.ControlChannel);
    private static final Set<ManifestBackgroundTask> TIMER_ONLY = EnumSet.of(ManifestBackgroundTask.Timer);

    private LockScreen lockScreen = LockScreen.EMPTY;

    private AccessDecision run(AccessDecision decision) {
        for (DevicePolicyEvent e : decision.events()) {
            lockScreen = lockScreen.apply(e);
        }
        return decision;
    }

    private BackgroundAccessStatus allow(String appId, Set<ManifestBackgroundTask> declared) {
        assertInstanceOf(PromptUser.class, run(lockScreen.requestAccess(appId, declared)));
        return assertInstanceOf(Answer.class, run(lockScreen.answerConsent(appId, LockScreenConsent.Allow))).status();
    }

    private int fillers;

    /** Adds {@code apps} more apps named filler0, filler1, ... in order. */
    private void fillWith(int apps, Set<ManifestBackgroundTask> declared) {
        for (int i = 0; i < apps; i++) {
            allow("filler" + fillers++, declared);
        }
    }

    private void remove(String appId) {
        LockScreenRemoval removal = lockScreen.remove(appId, LockScreenRemovalCause.RemovedByUser);
        removal.events().forEach(e -> lockScreen = lockScreen.apply(e));
    }

    // --- the one prompt ---

    @Test
    void firstRequestAsksTheUserAndRecordsThePrompt() {
        AccessDecision decision = run(lockScreen.requestAccess("mail", RTC_AND_TIMER));

        PromptUser prompt = assertInstanceOf(PromptUser.class, decision);
        assertEquals(List.of(new LockScreenConsentPrompted("mail", RTC_AND_TIMER)), prompt.events());
        assertEquals(Unspecified, lockScreen.status("mail"));
        assertFalse(lockScreen.contains("mail"));
    }

    @Test
    void allowAddsTheAppRaisesLockScreenApplicationAddedAndAnswersItsStatus() {
        run(lockScreen.requestAccess("mail", RTC_AND_TIMER));

        Answer answer = assertInstanceOf(Answer.class, run(lockScreen.answerConsent("mail", LockScreenConsent.Allow)));

        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, answer.status());
        assertTrue(answer.events().contains(new LockScreenAppAdded("mail", AllowedWithAlwaysOnRealTimeConnectivity, RTC_AND_TIMER)));
        assertEquals(List.of(new SystemTriggerRaised("mail", SystemTriggerType.LockScreenApplicationAdded)),
                answer.notifications());
        assertTrue(lockScreen.contains("mail"));
        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, lockScreen.status("mail"));
    }

    @Test
    void laterRequestsOfAnAllowedAppReturnItsStatusWithoutAskingAgain() {
        allow("mail", RTC_AND_TIMER);

        Answer again = assertInstanceOf(Answer.class, run(lockScreen.requestAccess("mail", RTC_AND_TIMER)));

        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, again.status());
        assertTrue(again.events().isEmpty());
        assertTrue(again.notifications().isEmpty());
    }

    @Test
    void dontAllowDeniesAndEveryLaterRequestIsDeniedWithoutUi() {
        run(lockScreen.requestAccess("mail", RTC_AND_TIMER));

        Answer refused = assertInstanceOf(Answer.class, run(lockScreen.answerConsent("mail", LockScreenConsent.DontAllow)));
        Answer later = assertInstanceOf(Answer.class, run(lockScreen.requestAccess("mail", RTC_AND_TIMER)));

        assertEquals(Denied, refused.status());
        assertEquals(Denied, later.status());
        assertTrue(later.events().isEmpty());
        assertFalse(lockScreen.contains("mail"));
        assertEquals(Denied, lockScreen.status("mail"));
    }

    @Test
    void dismissedDialogAnswersUnspecifiedAndMayBeShownAgain() {
        run(lockScreen.requestAccess("mail", RTC_AND_TIMER));

        Answer dismissed = assertInstanceOf(Answer.class, run(lockScreen.answerConsent("mail", LockScreenConsent.Dismissed)));
        AccessDecision again = run(lockScreen.requestAccess("mail", RTC_AND_TIMER));

        assertEquals(Unspecified, dismissed.status());
        assertEquals(Unspecified, lockScreen.status("mail"));
        assertEquals(List.of(new LockScreenConsentPrompted("mail", RTC_AND_TIMER)),
                assertInstanceOf(PromptUser.class, again).events());
    }

    @Test
    void requestWhileTheDialogIsPendingShowsTheSameDialogWithoutRecordingASecondPrompt() {
        run(lockScreen.requestAccess("mail", RTC_AND_TIMER));

        AccessDecision again = run(lockScreen.requestAccess("mail", RTC_AND_TIMER));

        assertTrue(assertInstanceOf(PromptUser.class, again).events().isEmpty());
    }

    @Test
    void answerWithoutPendingDialogIsRejected() {
        assertEquals(new AccessDecision.Rejected(AccessRejection.NoPromptPending),
                lockScreen.answerConsent("mail", LockScreenConsent.Allow));
        allow("mail", TIMER_ONLY);
        assertEquals(new AccessDecision.Rejected(AccessRejection.NoPromptPending),
                lockScreen.answerConsent("mail", LockScreenConsent.DontAllow));
        assertTrue(lockScreen.contains("mail"));
    }

    @Test
    void appDeclaringNoLockScreenTaskIsDeniedWithoutDialog() {
        Answer answer = assertInstanceOf(Answer.class,
                run(lockScreen.requestAccess("news", EnumSet.of(ManifestBackgroundTask.SystemEvent))));

        assertEquals(Denied, answer.status());
        assertTrue(answer.events().isEmpty());
    }

    // --- seven apps ---

    @Test
    void lockScreenHoldsAtMostSevenApps() {
        fillWith(7, TIMER_ONLY);

        Answer eighth = assertInstanceOf(Answer.class, run(lockScreen.requestAccess("eighth", TIMER_ONLY)));

        assertEquals(Denied, eighth.status());
        assertTrue(eighth.events().isEmpty());
        assertEquals(7, lockScreen.apps().size());
    }

    @Test
    void fullLockScreenDoesNotUseUpTheAppsOnePrompt() {
        fillWith(7, TIMER_ONLY);
        run(lockScreen.requestAccess("eighth", TIMER_ONLY));
        remove("filler0");

        assertInstanceOf(PromptUser.class, run(lockScreen.requestAccess("eighth", TIMER_ONLY)));
        assertEquals(AllowedMayUseActiveRealTimeConnectivity,
                assertInstanceOf(Answer.class, run(lockScreen.answerConsent("eighth", LockScreenConsent.Allow))).status());
    }

    @Test
    void allowedWhileTheLockScreenFilledUpIsDeniedThenAddedSilentlyWhenRoomFrees() {
        fillWith(6, TIMER_ONLY);
        run(lockScreen.requestAccess("late", TIMER_ONLY));
        run(lockScreen.addByUser("settings", TIMER_ONLY));

        Answer whileFull = assertInstanceOf(Answer.class, run(lockScreen.answerConsent("late", LockScreenConsent.Allow)));
        assertEquals(Denied, whileFull.status());
        assertFalse(lockScreen.contains("late"));

        remove("filler3");
        Answer silent = assertInstanceOf(Answer.class, run(lockScreen.requestAccess("late", TIMER_ONLY)));

        assertEquals(AllowedMayUseActiveRealTimeConnectivity, silent.status());
        assertTrue(lockScreen.contains("late"));
        assertEquals(List.of(new SystemTriggerRaised("late", SystemTriggerType.LockScreenApplicationAdded)),
                silent.notifications());
    }

    // --- real-time connectivity slots (wns-spec 6.6, 6.7) ---

    @Test
    void appWithoutControlChannelIsAlwaysAllowedMayUseActive() {
        assertEquals(AllowedMayUseActiveRealTimeConnectivity, allow("clock", TIMER_ONLY));
        assertEquals(0, lockScreen.realTimeConnectivityHolders());
    }

    @Test
    void onlyThreeAppsGetAlwaysOnRealTimeConnectivity() {
        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, allow("a", RTC_AND_TIMER));
        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, allow("b", RTC_AND_PUSH));
        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, allow("c", RTC_ONLY));

        assertEquals(AllowedMayUseActiveRealTimeConnectivity, allow("d", RTC_AND_TIMER));
        assertEquals(AllowedMayUseActiveRealTimeConnectivity, allow("e", RTC_AND_PUSH));
        assertEquals(3, lockScreen.realTimeConnectivityHolders());
    }

    @Test
    void controlChannelOnlyAppIsDeniedWhenHardwareSlotsAreFull() {
        fillWith(3, RTC_ONLY);

        assertEquals(Denied, allow("voip", RTC_ONLY));
        assertFalse(lockScreen.contains("voip"));
    }

    @Test
    void allowedControlChannelOnlyAppJoinsSilentlyOnceASlotFrees() {
        fillWith(3, RTC_ONLY);
        allow("voip", RTC_ONLY);
        assertEquals(Denied, assertInstanceOf(Answer.class, run(lockScreen.requestAccess("voip", RTC_ONLY))).status());

        remove("filler1");
        Answer silent = assertInstanceOf(Answer.class, run(lockScreen.requestAccess("voip", RTC_ONLY)));

        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, silent.status());
        assertTrue(lockScreen.contains("voip"));
    }

    @Test
    void silentReRequestTakesAFreedRealTimeSlot() {
        fillWith(3, RTC_AND_TIMER);
        assertEquals(AllowedMayUseActiveRealTimeConnectivity, allow("im", RTC_AND_TIMER));

        remove("filler0");
        assertEquals(AllowedMayUseActiveRealTimeConnectivity, lockScreen.status("im"));
        Answer upgrade = assertInstanceOf(Answer.class, run(lockScreen.requestAccess("im", RTC_AND_TIMER)));

        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, upgrade.status());
        assertEquals(List.of(new RealTimeConnectivityGranted("im")), upgrade.events());
        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, lockScreen.status("im"));
        assertEquals(3, lockScreen.realTimeConnectivityHolders());
    }

    @Test
    void silentReRequestWithoutFreeSlotKeepsTheStatus() {
        fillWith(3, RTC_AND_TIMER);
        allow("im", RTC_AND_TIMER);

        Answer again = assertInstanceOf(Answer.class, run(lockScreen.requestAccess("im", RTC_AND_TIMER)));

        assertEquals(AllowedMayUseActiveRealTimeConnectivity, again.status());
        assertTrue(again.events().isEmpty());
    }

    @Test
    void silentReRequestWithoutControlChannelNeverUpgrades() {
        allow("clock", TIMER_ONLY);

        Answer again = assertInstanceOf(Answer.class, run(lockScreen.requestAccess("clock", TIMER_ONLY)));

        assertEquals(AllowedMayUseActiveRealTimeConnectivity, again.status());
        assertTrue(again.events().isEmpty());
    }

    // --- removal ---

    @Test
    void removalRaisesLockScreenApplicationRemovedAndLaterRequestsAreDeniedWithoutUi() {
        allow("mail", RTC_AND_TIMER);

        LockScreenRemoval removal = lockScreen.remove("mail", LockScreenRemovalCause.RemoveAccessCalled);
        removal.events().forEach(e -> lockScreen = lockScreen.apply(e));

        assertEquals(List.of(new SystemTriggerRaised("mail", SystemTriggerType.LockScreenApplicationRemoved)),
                removal.notifications());
        assertFalse(lockScreen.contains("mail"));
        assertEquals(0, lockScreen.realTimeConnectivityHolders());
        Answer later = assertInstanceOf(Answer.class, run(lockScreen.requestAccess("mail", RTC_AND_TIMER)));
        assertEquals(Denied, later.status());
        assertTrue(later.events().isEmpty());
    }

    @Test
    void removingAnAppThatIsNotThereChangesNothing() {
        assertInstanceOf(LockScreenRemoval.NotOnLockScreen.class,
                lockScreen.remove("ghost", LockScreenRemovalCause.RemovedByUser));
    }

    @Test
    void removalFreesTheRealTimeSlotOnlyForTheNextRequest() {
        fillWith(3, RTC_AND_TIMER);
        allow("d", RTC_AND_TIMER);

        remove("filler2");

        assertEquals(AllowedMayUseActiveRealTimeConnectivity, lockScreen.status("d"));
        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity, allow("e", RTC_AND_TIMER));
    }

    // --- PC settings ---

    @Test
    void userCanAddARefusedAppFromSettings() {
        run(lockScreen.requestAccess("mail", TIMER_ONLY));
        run(lockScreen.answerConsent("mail", LockScreenConsent.DontAllow));

        Answer added = assertInstanceOf(Answer.class, run(lockScreen.addByUser("mail", TIMER_ONLY)));

        assertEquals(AllowedMayUseActiveRealTimeConnectivity, added.status());
        assertEquals(List.of(new SystemTriggerRaised("mail", SystemTriggerType.LockScreenApplicationAdded)),
                added.notifications());
        assertTrue(lockScreen.contains("mail"));
    }

    @Test
    void userCanAddARemovedAppBackFromSettings() {
        allow("mail", RTC_AND_TIMER);
        remove("mail");

        assertEquals(AllowedWithAlwaysOnRealTimeConnectivity,
                assertInstanceOf(Answer.class, run(lockScreen.addByUser("mail", RTC_AND_TIMER))).status());
    }

    @Test
    void settingsAddIsRejectedWhenItCannotBeDone() {
        allow("mail", TIMER_ONLY);
        assertEquals(new AccessDecision.Rejected(AccessRejection.AlreadyOnLockScreen),
                lockScreen.addByUser("mail", TIMER_ONLY));
        assertEquals(new AccessDecision.Rejected(AccessRejection.NotLockScreenCapable),
                lockScreen.addByUser("news", EnumSet.of(ManifestBackgroundTask.SystemEvent)));
        fillWith(3, RTC_ONLY);
        assertEquals(new AccessDecision.Rejected(AccessRejection.NoRealTimeConnectivitySlot),
                lockScreen.addByUser("voip", RTC_ONLY));
        fillWith(3, TIMER_ONLY);
        assertEquals(new AccessDecision.Rejected(AccessRejection.LockScreenFull),
                lockScreen.addByUser("eighth", TIMER_ONLY));
    }

    @Test
    void addingByUserWhileTheDialogIsPendingEndsThePrompt() {
        run(lockScreen.requestAccess("mail", TIMER_ONLY));
        run(lockScreen.addByUser("mail", TIMER_ONLY));

        assertEquals(new AccessDecision.Rejected(AccessRejection.NoPromptPending),
                lockScreen.answerConsent("mail", LockScreenConsent.DontAllow));
        assertTrue(lockScreen.contains("mail"));
    }

    // --- GetAccessStatus ---

    @Test
    void accessStatusOfAnAppThatNeverAskedIsUnspecified() {
        assertEquals(Unspecified, lockScreen.status("never"));
    }

    @Test
    void appsKeepTheOrderTheyJoinedIn() {
        allow("one", TIMER_ONLY);
        allow("two", RTC_AND_TIMER);
        allow("three", TIMER_ONLY);

        assertEquals(List.of("one", "two", "three"), lockScreen.apps().stream().map(LockScreenApp::appId).toList());
    }
}
