package io.wakeline.simulator;

import static io.wakeline.simulator.DeviceSimulatorTest.CHAT;
import static io.wakeline.simulator.DeviceSimulatorTest.FLEET_SECRET;
import static io.wakeline.simulator.DeviceSimulatorTest.MAIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.AppStateReport;
import io.wakeline.protocol.v1.BackgroundTaskReport;
import io.wakeline.protocol.v1.BackgroundTaskVerdict;
import io.wakeline.protocol.v1.ControlChannelOperation;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.ControlChannelResetReason;
import io.wakeline.protocol.v1.ControlChannelResourceType;
import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Envelope.BodyCase;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.ManifestBackgroundTask;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.PowerSource;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.protocol.v1.RawDelivery;
import io.wakeline.protocol.v1.SystemTrigger;
import io.wakeline.protocol.v1.SystemTriggerType;
import io.wakeline.protocol.v1.TriggerKind;
import io.wakeline.protocol.v1.TriggerRegistration;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The device model played automatically, against a fake broker that answers like the real one. */
@Timeout(30)
class DeviceModelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Nothing happens on its own: each test switches on what it looks at. */
    private static final DevicePopulation QUIET = DevicePopulation.builder()
            .hardware(1, 0)
            .batteryShare(1)
            .powerSourcePeriod(Duration.ZERO)
            .powerCycle(Duration.ZERO, Duration.ZERO)
            .appStates(0, 1, Duration.ZERO)
            .lockScreen(0, 1)
            .controlChannels(0, 1, 0, 15)
            .triggers(0, 0, 15)
            .build();

    private FakeBroker broker;
    private DeviceSimulator simulator;

    @BeforeEach
    void startBroker() throws IOException {
        broker = new FakeBroker(FLEET_SECRET, Set.of(MAIL, CHAT), 30);
    }

    @AfterEach
    void stopAll() throws IOException {
        if (simulator != null) {
            simulator.close();
        }
        broker.close();
    }

    private SimulatorConfig.Builder fleet(int devices, DevicePopulation population) {
        return SimulatorConfig.builder()
                .port(broker.port())
                .deviceCount(devices)
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(MAIL, CHAT))
                .connectRatePerSecond(2_000)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .deviceModel(DeviceModelMode.AUTOMATIC)
                .population(population)
                .seed(7);
    }

    @Test
    void afterWelcomeTheDeviceReportsPowerThenEveryAppsStateThenAsksForChannels() {
        simulator = DeviceSimulator.start(fleet(1, QUIET).build());
        assertTrue(simulator.awaitChannels(WAIT));

        List<Envelope> frames = broker.framesFrom("dev-0");
        assertEquals(List.of(BodyCase.POWER_REPORT, BodyCase.APP_STATE_REPORT, BodyCase.APP_STATE_REPORT,
                BodyCase.CHANNEL_REQUEST, BodyCase.CHANNEL_REQUEST), bodies(frames));
        assertEquals(PowerReport.newBuilder().setPowerState(PowerState.ACTIVE).setPowerSource(PowerSource.BATTERY).build(),
                frames.get(0).getPowerReport());
        assertEquals(AppStateReport.newBuilder().setAppId(MAIL).setState(AppExecutionState.SUSPENDED).build(),
                frames.get(1).getAppStateReport());
        assertEquals(CHAT, frames.get(2).getAppStateReport().getAppId());
        assertEquals(StandbyHardware.CONNECTED_STANDBY.capabilities(), broker.hello("dev-0").getCapabilities());
        assertEquals(1, simulator.stats().deviceModel().powerReports());
        assertEquals(2, simulator.stats().deviceModel().appStateReports());
    }

    @Test
    void lockScreenAppAnswersThePromptThenRegistersItsTriggersAndOpensItsControlChannels() {
        DevicePopulation population = QUIET.toBuilder()
                .lockScreen(1, 1)
                .controlChannels(1, 2, 1, 20)
                .triggers(1, 0, 30)
                .build();
        simulator = DeviceSimulator.start(fleet(1, population).appIds(List.of(MAIL)).build());

        Eventually.await(WAIT, "both channels allocated",
                () -> simulator.stats().deviceModel().controlChannelStatus(ControlChannelTriggerStatus.HARDWARE_SLOT_ALLOCATED) == 2);
        Eventually.await(WAIT, "both registrations accepted",
                () -> simulator.stats().deviceModel().triggerRegistrationsAccepted() == 2);

        List<Envelope> model = broker.framesFrom("dev-0").stream()
                .filter(frame -> frame.getBodyCase().getNumber() >= BodyCase.LOCK_SCREEN_REQUEST.getNumber())
                .filter(frame -> frame.getBodyCase() != BodyCase.POWER_REPORT && frame.getBodyCase() != BodyCase.APP_STATE_REPORT)
                .toList();
        assertEquals(List.of(BodyCase.LOCK_SCREEN_REQUEST, BodyCase.LOCK_SCREEN_CONSENT, BodyCase.TRIGGER_REGISTRATION,
                BodyCase.TRIGGER_REGISTRATION, BodyCase.CONTROL_CHANNEL_REQUEST, BodyCase.CONTROL_CHANNEL_REQUEST),
                bodies(model));
        int requestId = model.get(0).getLockScreenRequest().getRequestId();
        assertEquals(List.of(ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION, ManifestBackgroundTask.MANIFEST_CONTROL_CHANNEL,
                ManifestBackgroundTask.MANIFEST_TIMER), model.get(0).getLockScreenRequest().getDeclaredTasksList());
        assertEquals(LockScreenConsentAnswer.newBuilder().setRequestId(requestId).setAppId(MAIL)
                .setConsent(LockScreenConsent.CONSENT_ALLOW).build(), model.get(1).getLockScreenConsent());
        TriggerRegistration push = model.get(2).getTriggerRegistration();
        TriggerRegistration timer = model.get(3).getTriggerRegistration();
        assertEquals(TriggerKind.PUSH_NOTIFICATION_TRIGGER, push.getTrigger());
        assertEquals(TriggerKind.TIME_TRIGGER, timer.getTrigger());
        assertEquals(30, timer.getFreshnessMinutes());
        Set<String> channelIds = new HashSet<>();
        for (Envelope frame : model.subList(4, 6)) {
            ControlChannelRequest channel = frame.getControlChannelRequest();
            assertEquals(ControlChannelOperation.CREATE, channel.getOperation());
            assertEquals(ControlChannelResourceType.REQUEST_HARDWARE_SLOT, channel.getResourceType());
            assertEquals(20, channel.getServerKeepAliveMinutes());
            assertEquals(MAIL, channel.getAppId());
            channelIds.add(channel.getChannelId());
        }
        assertEquals(2, channelIds.size(), "distinct channel ids");
        DeviceModelStats stats = simulator.stats().deviceModel();
        assertEquals(1, stats.lockScreenPrompts());
        assertEquals(1, stats.consentsAllowed());
        assertEquals(1, stats.lockScreenGrants());
    }

    @Test
    void consentAnswersFollowTheConfiguredProbability() {
        DevicePopulation population = QUIET.toBuilder().lockScreen(1, 0.3).build();
        simulator = DeviceSimulator.start(fleet(100, population).build());

        Eventually.await(WAIT, "200 lock-screen decisions", () -> {
            DeviceModelStats stats = simulator.stats().deviceModel();
            return stats.lockScreenGrants() + stats.lockScreenDenials() == 200;
        });

        DeviceModelStats stats = simulator.stats().deviceModel();
        assertEquals(200, stats.lockScreenPrompts());
        assertEquals(stats.consentsAllowed(), stats.lockScreenGrants());
        assertEquals(stats.consentsDenied(), stats.lockScreenDenials());
        assertTrue(stats.consentsAllowed() >= 40 && stats.consentsAllowed() <= 80,
                "about 30 % of 200 allowed: " + stats.consentsAllowed());
        // a denied app registers nothing; every allowed one registers its push trigger
        Eventually.await(WAIT, "push triggers of the allowed apps",
                () -> simulator.stats().deviceModel().triggerRegistrationsAccepted() == stats.consentsAllowed());
    }

    @Test
    void backgroundTaskRawsAreAckedThenReportedWithUsageInTheConfiguredRanges() throws IOException {
        LongRange cpu = new LongRange(100, 200);
        LongRange network = new LongRange(5_000, 6_000);
        simulator = DeviceSimulator.start(fleet(1, QUIET.toBuilder().taskUsage(cpu, network).build()).build());
        assertTrue(simulator.awaitChannels(WAIT));

        Set<Long> sent = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            sent.add(broker.sendRaw("dev-0", i % 2 == 0 ? MAIL : CHAT, RawDelivery.BACKGROUND_TASK, new byte[] {1}));
        }
        for (int i = 0; i < 5; i++) {
            sent.add(broker.sendRaw("dev-0", MAIL, RawDelivery.FOREGROUND_EVENT, new byte[] {2}));
        }

        Eventually.await(WAIT, "20 reports", () -> broker.framesFrom("dev-0", BodyCase.BACKGROUND_TASK_REPORT).size() == 20);
        Eventually.await(WAIT, "every raw acked", () -> broker.acked("dev-0").equals(sent));
        List<Envelope> frames = broker.framesFrom("dev-0");
        for (Envelope frame : broker.framesFrom("dev-0", BodyCase.BACKGROUND_TASK_REPORT)) {
            BackgroundTaskReport report = frame.getBackgroundTaskReport();
            assertEquals(TriggerKind.PUSH_NOTIFICATION_TRIGGER, report.getTrigger());
            assertTrue(cpu.contains(report.getCpuMillis()), "cpu " + report.getCpuMillis());
            assertTrue(network.contains(report.getNetworkBytes()), "network " + report.getNetworkBytes());
        }
        assertEquals(10, broker.framesFrom("dev-0", BodyCase.BACKGROUND_TASK_REPORT).stream()
                .filter(frame -> frame.getBackgroundTaskReport().getAppId().equals(MAIL)).count());
        assertTrue(bodies(frames).indexOf(BodyCase.ACK) < bodies(frames).indexOf(BodyCase.BACKGROUND_TASK_REPORT),
                "a report follows the Ack of its notification");
        Eventually.await(WAIT, "foreground events counted", () -> simulator.stats().deviceModel().foregroundEvents() == 5);
        DeviceModelStats stats = simulator.stats().deviceModel();
        assertEquals(20, stats.backgroundTaskDeliveries());
        assertEquals(20, stats.backgroundTasksRun());
        assertEquals(20, stats.taskReports());
    }

    @Test
    void timeAndMaintenanceTriggersAskOnEveryTickAndRunOnlyWhenTold() {
        // 3600x: the 15-minute freshness and scheduler tick take a quarter of a second each
        DevicePopulation population = QUIET.toBuilder()
                .lockScreen(1, 1)
                .triggers(1, 1, 15)
                .timeScale(3_600)
                .build();
        broker.queueTaskVerdicts(BackgroundTaskVerdict.DEFERRED, BackgroundTaskVerdict.QUOTA_EXHAUSTED,
                BackgroundTaskVerdict.REFUSED, BackgroundTaskVerdict.DEFERRED);
        simulator = DeviceSimulator.start(fleet(1, population).appIds(List.of(MAIL)).build());

        Eventually.await(WAIT, "three ticks of both triggers", () -> simulator.stats().deviceModel().taskRequests() >= 6
                && simulator.stats().deviceModel().taskReports() >= 2);
        simulator.close();

        DeviceModelStats stats = simulator.stats().deviceModel();
        assertEquals(2, stats.tasksDeferred());
        assertEquals(1, stats.tasksQuotaExhausted());
        assertEquals(1, stats.tasksRefused());
        assertEquals(stats.tasksAllowed(), stats.backgroundTasksRun(), "a task runs for every RUN and nothing else");
        assertEquals(stats.tasksAllowed(), stats.taskReports());
        List<Envelope> requests = broker.framesFrom("dev-0", BodyCase.BACKGROUND_TASK_REQUEST);
        Set<TriggerKind> asked = requests.stream().map(frame -> frame.getBackgroundTaskRequest().getTrigger())
                .collect(Collectors.toSet());
        assertEquals(Set.of(TriggerKind.TIME_TRIGGER, TriggerKind.MAINTENANCE_TRIGGER), asked);
        assertTrue(requests.stream().filter(frame -> frame.getBackgroundTaskRequest().getTrigger() == TriggerKind.TIME_TRIGGER)
                .count() >= 3, "the time trigger is asked again after DEFERRED, QUOTA_EXHAUSTED and REFUSED");
        for (Envelope frame : broker.framesFrom("dev-0", BodyCase.BACKGROUND_TASK_REPORT)) {
            assertTrue(Set.of(TriggerKind.TIME_TRIGGER, TriggerKind.MAINTENANCE_TRIGGER)
                    .contains(frame.getBackgroundTaskReport().getTrigger()));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 0, CONNECTED_STANDBY", "0, 1, CONNECTED_STANDBY", "0, 0, SLEEP"})
    void powerCyclesThroughConnectedStandbyOrSleepAsTheHardwareAllows(double connectedStandby, double chipsetOnly,
                                                                        PowerState standby) {
        // 240x: about a quarter of a second active, as long in standby; the app starts in the foreground
        DevicePopulation population = QUIET.toBuilder()
                .hardware(connectedStandby, chipsetOnly)
                .powerCycle(Duration.ofMinutes(1), Duration.ofMinutes(1))
                .appStates(1, 1, Duration.ZERO)
                .timeScale(240)
                .build();
        simulator = DeviceSimulator.start(fleet(1, population).appIds(List.of(MAIL)).build());

        Eventually.await(WAIT, "four power reports", () -> broker.framesFrom("dev-0", BodyCase.POWER_REPORT).size() >= 4);

        List<PowerState> states = broker.framesFrom("dev-0", BodyCase.POWER_REPORT).stream()
                .map(frame -> frame.getPowerReport().getPowerState()).limit(4).toList();
        assertEquals(List.of(PowerState.ACTIVE, standby, PowerState.ACTIVE, standby), states);
        List<AppExecutionState> appStates = broker.framesFrom("dev-0", BodyCase.APP_STATE_REPORT).stream()
                .map(frame -> frame.getAppStateReport().getState()).limit(2).toList();
        assertEquals(List.of(AppExecutionState.FOREGROUND, AppExecutionState.SUSPENDED), appStates,
                "standby suspends the foreground app");
    }

    @Test
    void controlChannelResetMakesTheAppCreateItsChannelsAgain() throws IOException {
        DevicePopulation population = QUIET.toBuilder().lockScreen(1, 1).controlChannels(1, 2, 0, 15).build();
        simulator = DeviceSimulator.start(fleet(1, population).appIds(List.of(MAIL)).build());
        Eventually.await(WAIT, "two software slots", () -> simulator.stats().deviceModel()
                .controlChannelStatus(ControlChannelTriggerStatus.SOFTWARE_SLOT_ALLOCATED) == 2);

        broker.sendSystemTrigger("dev-0", SystemTrigger.newBuilder()
                .setAppId(MAIL)
                .setTrigger(SystemTriggerType.CONTROL_CHANNEL_RESET)
                .setResetReason(ControlChannelResetReason.LOW_POWER_EXIT)
                .setSoftwareSlotReset(true).build());

        Eventually.await(WAIT, "channels created again", () -> simulator.stats().deviceModel()
                .controlChannelStatus(ControlChannelTriggerStatus.SOFTWARE_SLOT_ALLOCATED) == 4);
        List<String> ids = broker.framesFrom("dev-0", BodyCase.CONTROL_CHANNEL_REQUEST).stream()
                .map(frame -> frame.getControlChannelRequest().getChannelId()).toList();
        assertEquals(ids.subList(0, 2), ids.subList(2, 4), "the same channels");
        assertEquals(1, simulator.stats().deviceModel().systemTriggers());
    }

    @Test
    void appTheUserAddsInSettingsRegistersItsPushTrigger() throws IOException {
        DevicePopulation population = QUIET.toBuilder().lockScreen(1, 0).build();
        simulator = DeviceSimulator.start(fleet(1, population).appIds(List.of(MAIL)).build());
        Eventually.await(WAIT, "denied", () -> simulator.stats().deviceModel().lockScreenDenials() == 1);
        assertEquals(List.of(), broker.framesFrom("dev-0", BodyCase.TRIGGER_REGISTRATION));

        broker.addToLockScreen("dev-0", MAIL);

        Eventually.await(WAIT, "push trigger registered",
                () -> simulator.stats().deviceModel().triggerRegistrationsAccepted() == 1);
        assertEquals(TriggerKind.PUSH_NOTIFICATION_TRIGGER,
                broker.framesFrom("dev-0", BodyCase.TRIGGER_REGISTRATION).get(0).getTriggerRegistration().getTrigger());
    }

    @Test
    void reconnectedDeviceReportsAgainAndReopensChannelsButDoesNotAskForTheLockScreenAgain() throws IOException {
        DevicePopulation population = QUIET.toBuilder().lockScreen(1, 1).controlChannels(1, 1, 0, 15).build();
        simulator = DeviceSimulator.start(fleet(1, population).appIds(List.of(MAIL)).build());
        Eventually.await(WAIT, "channel open", () -> simulator.stats().deviceModel()
                .controlChannelStatus(ControlChannelTriggerStatus.SOFTWARE_SLOT_ALLOCATED) == 1);
        int before = broker.framesFrom("dev-0").size();

        broker.drop("dev-0");

        Eventually.await(WAIT, "channel open again", () -> simulator.stats().deviceModel()
                .controlChannelStatus(ControlChannelTriggerStatus.SOFTWARE_SLOT_ALLOCATED) == 2);
        List<BodyCase> second = bodies(broker.framesFrom("dev-0").subList(before, broker.framesFrom("dev-0").size()));
        assertEquals(List.of(BodyCase.POWER_REPORT, BodyCase.APP_STATE_REPORT, BodyCase.CONTROL_CHANNEL_REQUEST), second,
                "channels survive the link, the lock-screen answer and the trigger registration too");
    }

    private static List<BodyCase> bodies(List<Envelope> frames) {
        return frames.stream().map(Envelope::getBodyCase).toList();
    }
}
