package io.wakeline.broker.device.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenConsentAnswered;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenConsentPrompted;
import io.wakeline.broker.device.policy.SandboxBudgetSettings.Quota;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sessions of device reports, app requests and broker traffic; after every step the Windows invariants hold:
 * at most 7 lock-screen apps; at most 5 channels and 3 hardware slots per app; hardware slots for three apps at most;
 * no background task without sandbox budget, no second task while one runs; nothing wakes in sleep or off;
 * software-slot channels stay silent in connected standby; one prompt per app unless dismissed; and replaying the
 * journal rebuilds the state.
 */
class DevicePolicyPropertiesTest {

    private static final List<String> APPS = List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8");
    private static final List<String> CHANNELS = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6");
    private static final long T0 = TestDevice.T0;
    private static final List<String> CORNERS = List.of("hardware slot allocated", "lock screen full",
            "background task started", "quota refused a wake", "software slot silent in CS", "hardware slot woke app in CS", "RTC slot taken late");

    /** Small quotas and a 20 % reserve so that sessions run into exhaustion often. */
    private static final SandboxBudgetSettings SETTINGS = new SandboxBudgetSettings(
            java.time.Duration.ofMinutes(15), 1_000, 50_000, java.time.Duration.ofHours(2), 500, 20_000, 20);

    // --- operations ---

    sealed interface Op {
    }

    record Connect(DeviceCapabilities capabilities) implements Op {
    }

    record LinkDown() implements Op {
    }

    record Power(PowerState to) implements Op {
    }

    record Source(PowerSource source) implements Op {
    }

    record Advance(long millis) implements Op {
    }

    record RequestAccess(String app, Set<ManifestBackgroundTask> declared) implements Op {
    }

    record Answer(String app, LockScreenConsent consent) implements Op {
    }

    /** RequestAccessAsync immediately followed by the user's answer: the common case, frequent enough to fill up. */
    record RequestAndAnswer(String app, Set<ManifestBackgroundTask> declared, LockScreenConsent consent) implements Op {
    }

    record AddByUser(String app, Set<ManifestBackgroundTask> declared) implements Op {
    }

    record Remove(String app, LockScreenRemovalCause cause) implements Op {
    }

    record CreateChannel(String app, String channel, int keepAlive, ControlChannelTriggerResourceType type) implements Op {
    }

    record CloseChannel(String app, String channel) implements Op {
    }

    record ResetAll(ControlChannelTriggerResetReason reason) implements Op {
    }

    record Execution(String app, AppExecutionState state) implements Op {
    }

    record Register(String app, TriggerKind trigger, int freshness) implements Op {
    }

    record Unregister(String app, TriggerKind trigger) implements Op {
    }

    record RawPush(String app) implements Op {
    }

    record Message(String app, String channel) implements Op {
    }

    /** A message for one of the channels that exist at that moment ({@code pick} modulo their number). */
    record MessageToExisting(int pick) implements Op {
    }

    record Fired(String app, TriggerKind trigger) implements Op {
    }

    record Complete(String app, TriggerKind trigger, long cpuMillis, long networkBytes) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> sessions() {
        Arbitrary<String> app = Arbitraries.of(APPS);
        Arbitrary<String> channel = Arbitraries.of(CHANNELS);
        Arbitrary<TriggerKind> trigger = Arbitraries.of(TriggerKind.class);
        Arbitrary<Set<ManifestBackgroundTask>> manifest = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(Set.of(ManifestBackgroundTask.ControlChannel, ManifestBackgroundTask.Timer))),
                Tuple.of(2, Arbitraries.just(Set.of(ManifestBackgroundTask.ControlChannel))),
                Tuple.of(2, Arbitraries.just(Set.of(ManifestBackgroundTask.PushNotification))),
                Tuple.of(2, Arbitraries.subsetOf(ManifestBackgroundTask.values())));
        Arbitrary<LockScreenConsent> consent = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(LockScreenConsent.Allow)),
                Tuple.of(1, Arbitraries.just(LockScreenConsent.DontAllow)),
                Tuple.of(1, Arbitraries.just(LockScreenConsent.Dismissed)));
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(DeviceCapabilities.CONNECTED_STANDBY, DeviceCapabilities.CONNECTED_STANDBY,
                        DeviceCapabilities.CONNECTED_STANDBY, DeviceCapabilities.NONE, new DeviceCapabilities(true, false))
                        .map(Connect::new)),
                Tuple.of(1, Arbitraries.just(new LinkDown())),
                Tuple.of(6, Arbitraries.of(PowerState.Active, PowerState.Active, PowerState.ConnectedStandby,
                        PowerState.ConnectedStandby, PowerState.Sleep).map(Power::new)),
                Tuple.of(2, Arbitraries.of(PowerSource.class).map(Source::new)),
                Tuple.of(3, Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(0, 60_000L)),
                        Tuple.of(1, Arbitraries.longs().between(0, 3 * 3_600_000L))).map(Advance::new)),
                Tuple.of(6, Combinators.combine(app, manifest).as(RequestAccess::new)),
                Tuple.of(3, Combinators.combine(app, consent).as(Answer::new)),
                Tuple.of(8, Combinators.combine(app, manifest, consent).as(RequestAndAnswer::new)),
                Tuple.of(2, Combinators.combine(app, manifest).as(AddByUser::new)),
                Tuple.of(2, Combinators.combine(app, Arbitraries.of(LockScreenRemovalCause.class)).as(Remove::new)),
                Tuple.of(10, Combinators.combine(app, channel, Arbitraries.of(14, 15, 60, 1439, 1440),
                        Arbitraries.of(ControlChannelTriggerResourceType.class)).as(CreateChannel::new)),
                Tuple.of(3, Combinators.combine(app, channel).as(CloseChannel::new)),
                Tuple.of(1, Arbitraries.of(ControlChannelTriggerResetReason.class).map(ResetAll::new)),
                Tuple.of(4, Combinators.combine(app, Arbitraries.of(AppExecutionState.class)).as(Execution::new)),
                Tuple.of(6, Combinators.combine(app, trigger, Arbitraries.of(0, 10, 15, 60)).as(Register::new)),
                Tuple.of(1, Combinators.combine(app, trigger).as(Unregister::new)),
                Tuple.of(8, app.map(RawPush::new)),
                Tuple.of(4, Combinators.combine(app, channel).as(Message::new)),
                Tuple.of(6, Arbitraries.integers().between(0, 100).map(MessageToExisting::new)),
                Tuple.of(5, Combinators.combine(app, trigger).as(Fired::new)),
                Tuple.of(8, Combinators.combine(app, trigger, Arbitraries.longs().between(0, 800),
                        Arbitraries.longs().between(0, 30_000)).as(Complete::new)));
        return op.list().ofMinSize(60).ofMaxSize(300).withSizeDistribution(RandomDistribution.uniform());
    }

    // --- the property ---

    @Property(tries = 400)
    void windowsInvariantsHoldAfterEveryStep(@ForAll("sessions") List<Op> ops) {
        Session session = new Session();
        session.step(new Connect(DeviceCapabilities.CONNECTED_STANDBY));
        for (Op op : ops) {
            session.step(op);
        }
        assertEquals(session.state, DevicePolicyState.INITIAL.applyAll(session.journal), "replay rebuilds the state");
        // The sessions must reach the interesting corners, or the invariants above prove little.
        for (String corner : CORNERS) {
            Statistics.label(corner).collect(session.seen.contains(corner));
            Statistics.label(corner).coverage(checker -> checker.check(true).percentage(p -> p >= 5));
        }
    }

    /** One device under test, with an independent ledger of charged usage. */
    private static final class Session {
        final DevicePolicy policy = new DevicePolicy(SETTINGS);
        DevicePolicyState state = DevicePolicyState.INITIAL;
        long now = T0;
        final List<DevicePolicyEvent> journal = new ArrayList<>();
        final List<Charge> ledger = new ArrayList<>();
        final Set<String> seen = new HashSet<>();

        record Charge(String app, BudgetClass budgetClass, TriggerKind trigger, long cpu, long network, long at) {
        }

        void step(Op op) {
            if (op instanceof RequestAndAnswer o) {
                step(new RequestAccess(o.app(), o.declared()));
                step(new Answer(o.app(), o.consent()));
                return;
            }
            if (op instanceof MessageToExisting o) {
                List<ControlChannel> open = state.controlChannels().channels();
                if (!open.isEmpty()) {
                    ControlChannel c = open.get(o.pick() % open.size());
                    step(new Message(c.appId(), c.channelId()));
                }
                return;
            }
            DevicePolicyState before = state;
            PolicyDecision decision = decide(op);
            checkWake(op, before, decision);
            if (op instanceof Complete c && decision instanceof UsageReport.Charged) {
                ledger.add(new Charge(c.app(), before.budgetClass(c.app()), c.trigger(), c.cpuMillis(),
                        before.powerSource() == PowerSource.Battery ? c.networkBytes() : 0, now));
            }
            state = state.applyAll(decision.events());
            journal.addAll(decision.events());
            checkState();
            observe(decision, before);
        }

        void observe(PolicyDecision decision, DevicePolicyState before) {
            if (decision instanceof WakeDecision.StartBackgroundTask
                    && before.powerState() == PowerState.ConnectedStandby
                    && ((DevicePolicyEvent.BackgroundTaskStarted) decision.events().get(0)).trigger()
                            == TriggerKind.ControlChannelTrigger) {
                seen.add("hardware slot woke app in CS");
            }
            if (decision instanceof ChannelCreation.Completed c
                    && c.status() == ControlChannelTriggerStatus.HardwareSlotAllocated) {
                seen.add("hardware slot allocated");
            }
            if (state.lockScreen().apps().size() == LockScreen.CAPACITY) {
                seen.add("lock screen full");
            }
            if (decision instanceof WakeDecision.StartBackgroundTask || decision instanceof RawPushDecision.StartBackgroundTask) {
                seen.add("background task started");
            }
            if (decision instanceof WakeDecision.QuotaExhausted
                    || decision.equals(new RawPushDecision.Drop(RawDropReason.SandboxQuotaExhausted))) {
                seen.add("quota refused a wake");
            }
            if (decision.equals(new WakeDecision.Defer(WakeDecision.DeferReason.SoftwareSlotInConnectedStandby))) {
                seen.add("software slot silent in CS");
            }
            if (decision.events().stream().anyMatch(e -> e instanceof DevicePolicyEvent.RealTimeConnectivityGranted)) {
                seen.add("RTC slot taken late");
            }
        }

        PolicyDecision decide(Op op) {
            DevicePolicyState s = state;
            if (op instanceof Connect o) {
                return policy.connect(s, o.capabilities(), now);
            } else if (op instanceof LinkDown) {
                return policy.linkDown(s, now);
            } else if (op instanceof Power o) {
                return policy.changePowerState(s, o.to(), now);
            } else if (op instanceof Source o) {
                return policy.changePowerSource(s, o.source());
            } else if (op instanceof Advance o) {
                now += o.millis();
                return PolicyChanges.NONE;
            } else if (op instanceof RequestAccess o) {
                return policy.requestAccess(s, o.app(), o.declared());
            } else if (op instanceof Answer o) {
                return policy.answerConsent(s, o.app(), o.consent());
            } else if (op instanceof AddByUser o) {
                return policy.addToLockScreenByUser(s, o.app(), o.declared());
            } else if (op instanceof Remove o) {
                return policy.removeFromLockScreen(s, o.app(), o.cause());
            } else if (op instanceof CreateChannel o) {
                return policy.createControlChannel(s, o.app(), o.channel(), o.keepAlive(), o.type());
            } else if (op instanceof CloseChannel o) {
                return policy.closeControlChannel(s, o.app(), o.channel());
            } else if (op instanceof ResetAll o) {
                return policy.resetControlChannels(s, o.reason());
            } else if (op instanceof Execution o) {
                return policy.reportExecutionState(s, o.app(), o.state());
            } else if (op instanceof Register o) {
                return o.trigger().timed()
                        ? policy.registerTimedTrigger(s, o.app(), o.trigger(), o.freshness())
                        : policy.registerTrigger(s, o.app(), o.trigger());
            } else if (op instanceof Unregister o) {
                return policy.unregisterTrigger(s, o.app(), o.trigger());
            } else if (op instanceof RawPush o) {
                return policy.rawPush(s, o.app(), now);
            } else if (op instanceof Message o) {
                return policy.controlChannelMessage(s, o.app(), o.channel(), now);
            } else if (op instanceof Fired o) {
                return policy.deviceTrigger(s, o.app(), o.trigger(), now);
            } else if (op instanceof Complete o) {
                return policy.reportTaskCompleted(s, o.app(), o.trigger(), o.cpuMillis(), o.networkBytes(), now);
            }
            throw new IllegalArgumentException("unknown op " + op);
        }

        void checkWake(Op op, DevicePolicyState before, PolicyDecision decision) {
            boolean startsTask = decision instanceof WakeDecision.StartBackgroundTask
                    || decision instanceof RawPushDecision.StartBackgroundTask;
            boolean reachesForegroundApp = decision instanceof WakeDecision.DeliverToForegroundApp
                    || decision instanceof RawPushDecision.DeliverAsEvent;
            PowerState power = before.powerState();
            if (startsTask || reachesForegroundApp) {
                assertTrue(power == PowerState.Active || power == PowerState.ConnectedStandby,
                        "woke an app in " + power);
            }
            if (reachesForegroundApp) {
                assertEquals(PowerState.Active, power, "foreground delivery only while active");
            }
            if (op instanceof Message m && power == PowerState.ConnectedStandby) {
                before.controlChannels().find(m.app(), m.channel())
                        .filter(c -> c.slot() == ControlChannelSlot.SoftwareSlot)
                        .ifPresent(c -> assertFalse(startsTask || reachesForegroundApp,
                                "software-slot channel triggered in connected standby"));
            }
            if (op instanceof Fired f && f.trigger() == TriggerKind.ControlChannelTrigger && startsTask
                    && power == PowerState.ConnectedStandby) {
                assertTrue(before.controlChannels().count(f.app(), ControlChannelSlot.HardwareSlot) > 0,
                        "keep-alive in connected standby without a hardware slot");
            }
            if (startsTask) {
                String app = ((DevicePolicyEvent.BackgroundTaskStarted) decision.events().get(0)).appId();
                TriggerKind trigger = ((DevicePolicyEvent.BackgroundTaskStarted) decision.events().get(0)).trigger();
                assertTrue(before.apps().runningTask(app).isEmpty(), "second background task for " + app);
                assertTrue(hasBudget(before, app, trigger), "woke " + app + " for " + trigger + " without budget");
            }
        }

        /** Independent restatement of wns-spec 8.10–8.13 from the ledger of charged reports. */
        boolean hasBudget(DevicePolicyState s, String app, TriggerKind trigger) {
            BudgetClass budgetClass = s.budgetClass(app);
            Quota quota = SETTINGS.quotaFor(budgetClass);
            long windowStart = now - Math.floorMod(now, quota.periodMillis());
            List<Charge> window = ledger.stream()
                    .filter(c -> c.app().equals(app) && c.budgetClass() == budgetClass
                            && c.at() >= windowStart && c.at() < windowStart + quota.periodMillis())
                    .toList();
            boolean cpu = poolHasRoom(window, quota.cpuMillis(), trigger, Charge::cpu);
            boolean network = s.powerSource() == PowerSource.Mains
                    || poolHasRoom(window, quota.networkBytesOnBattery(), trigger, Charge::network);
            return cpu && network;
        }

        static boolean poolHasRoom(List<Charge> window, long quota, TriggerKind trigger,
                java.util.function.ToLongFunction<Charge> amount) {
            long realTime = window.stream().filter(c -> c.trigger().realTime()).mapToLong(amount).sum();
            long other = window.stream().filter(c -> !c.trigger().realTime()).mapToLong(amount).sum();
            long reserved = quota * SETTINGS.realTimeReservedPercent() / 100;
            long sharedLeft = (quota - reserved) - other - Math.max(0, realTime - reserved);
            long reserveLeft = reserved - realTime;
            return sharedLeft > 0 || (trigger.realTime() && reserveLeft > 0);
        }

        void checkState() {
            LockScreen lockScreen = state.lockScreen();
            assertTrue(lockScreen.apps().size() <= 7, "more than 7 lock-screen apps");
            assertEquals(lockScreen.apps().size(),
                    lockScreen.apps().stream().map(LockScreenApp::appId).collect(Collectors.toSet()).size(),
                    "an app twice on the lock screen");
            assertTrue(lockScreen.realTimeConnectivityHolders() <= 3, "more than 3 real-time-connectivity apps");

            ControlChannels channels = state.controlChannels();
            Set<String> hardwareApps = new HashSet<>();
            Map<String, Integer> perApp = new HashMap<>();
            for (ControlChannel c : channels.channels()) {
                perApp.merge(c.appId(), 1, Integer::sum);
                assertTrue(lockScreen.contains(c.appId()), "channel of an app off the lock screen");
                if (c.slot() == ControlChannelSlot.HardwareSlot) {
                    hardwareApps.add(c.appId());
                    assertTrue(lockScreen.app(c.appId()).orElseThrow().holdsRealTimeConnectivity(),
                            "hardware slot without real-time connectivity");
                }
            }
            perApp.forEach((app, count) -> assertTrue(count <= 5, app + " has " + count + " channels"));
            for (String app : perApp.keySet()) {
                assertTrue(channels.count(app, ControlChannelSlot.HardwareSlot) <= 3, app + " has over 3 hardware slots");
            }
            assertTrue(hardwareApps.size() <= 3, "hardware slots for " + hardwareApps);
            assertEquals(channels.channels().size(),
                    channels.channels().stream().map(c -> c.appId() + "/" + c.channelId()).distinct().count(),
                    "duplicate channel id");

            assertPromptedOnceUnlessDismissed();
        }

        /** wns-spec 6.5: a second prompt only after the user dismissed the first without choosing. */
        void assertPromptedOnceUnlessDismissed() {
            Map<String, Boolean> mayPrompt = new HashMap<>();
            for (DevicePolicyEvent e : journal) {
                if (e instanceof LockScreenConsentPrompted p) {
                    assertTrue(mayPrompt.getOrDefault(p.appId(), true), p.appId() + " prompted twice");
                    mayPrompt.put(p.appId(), false);
                } else if (e instanceof LockScreenConsentAnswered a && a.consent() == LockScreenConsent.Dismissed) {
                    mayPrompt.put(a.appId(), true);
                }
            }
        }
    }

    @Property(tries = 100)
    void everyStatusReturnedMatchesTheLockScreen(@ForAll("sessions") List<Op> ops) {
        Session session = new Session();
        session.step(new Connect(DeviceCapabilities.CONNECTED_STANDBY));
        for (Op op : ops) {
            session.step(op);
            for (String app : APPS) {
                BackgroundAccessStatus status = session.policy.accessStatus(session.state, app);
                assertEquals(session.state.lockScreen().contains(app), status.onLockScreen(), app + " " + status);
            }
        }
    }
}
