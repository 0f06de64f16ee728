package io.wakeline.simulator;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.v1.BackgroundTaskReport;
import io.wakeline.protocol.v1.BackgroundTaskRequest;
import io.wakeline.protocol.v1.BackgroundTaskVerdict;
import io.wakeline.protocol.v1.ControlChannelOperation;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.ControlChannelStatus;
import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.LockScreenChange;
import io.wakeline.protocol.v1.LockScreenChangeKind;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.LockScreenStatus;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.TriggerRegistration;
import io.wakeline.protocol.v1.TriggerRegistrationStatus;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carries out a simulator script ({@link SimulatorScript}) against a running {@link DeviceSimulator}: each step in
 * order, each step's devices one after the other, every device action waiting first (bounded) for the device's
 * link. A step that fails for a device is reported and counted and the script goes on; {@link #failures()} tells
 * the command line's exit status. Runs on a thread of its own, never on the selector thread.
 */
final class ScriptRunner implements Runnable {
    /** Results of steps with more devices than this are summed up in one line. */
    private static final int DEVICES_SHOWN = 10;
    /** Request ids of scripted frames: above channel requests (app position + 1), below the simulator's own. */
    private static final int FIRST_REQUEST_ID = 100_000;
    private static final int LAST_REQUEST_ID = 999_999;

    private final DeviceSimulator simulator;
    private final List<ScriptStep> steps;
    private final SimulatorConsole console;
    private final Duration linkTimeout;
    private final Map<String, WebPushKeys> keysBySubscription;
    private final Map<String, List<String>> subscriptions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger nextRequestId = new AtomicInteger(FIRST_REQUEST_ID);
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger stepsDone = new AtomicInteger();
    private volatile boolean finished;
    private long nextUpstreamId = 1;

    /**
     * @param linkTimeout        how long a device action waits for the device to be linked
     * @param keysBySubscription where the encryption keys of created Web Push subscriptions go, by subscription id
     *                           (so received messages can be decrypted)
     */
    ScriptRunner(DeviceSimulator simulator, List<ScriptStep> steps, SimulatorConsole console, Duration linkTimeout,
                 Map<String, WebPushKeys> keysBySubscription) {
        this.simulator = simulator;
        this.steps = List.copyOf(steps);
        this.console = console;
        this.linkTimeout = linkTimeout;
        this.keysBySubscription = keysBySubscription;
    }

    @Override
    public void run() {
        try {
            for (ScriptStep step : steps) {
                execute(step);
                stepsDone.incrementAndGet();
            }
            console.line("script: " + steps.size() + " step(s) done, " + failures.get() + " failure(s)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            console.line("script: stopped after " + stepsDone.get() + " of " + steps.size() + " step(s)");
        } catch (IllegalStateException e) {
            // the simulator was closed under the script (end of the run)
            console.line("script: stopped after " + stepsDone.get() + " of " + steps.size() + " step(s): " + e.getMessage());
        } finally {
            finished = true;
        }
    }

    int failures() {
        return failures.get();
    }

    int stepsDone() {
        return stepsDone.get();
    }

    int stepCount() {
        return steps.size();
    }

    boolean finished() {
        return finished;
    }

    private void execute(ScriptStep step) throws InterruptedException {
        String where = step.source() + ":" + step.line() + " " + step.text();
        if (step instanceof ScriptStep.Sleep sleep) {
            TimeUnit.MILLISECONDS.sleep(sleep.duration().toMillis());
            return;
        }
        if (step instanceof ScriptStep.AwaitChannels await) {
            if (simulator.awaitChannels(await.timeout())) {
                console.line("script " + where + ": every device holds its channels");
            } else {
                failures.incrementAndGet();
                console.line("script " + where + ": FAILED, not every device held its channels within " + await.timeout());
            }
            return;
        }
        ScriptStep.OnDevices onDevices = (ScriptStep.OnDevices) step;
        Map<String, String> currentChannels = onDevices.action() instanceof DeviceAction.CloseChannel
                ? currentChannels() : Map.of();
        int ok = 0;
        List<String> failed = new ArrayList<>();
        for (String deviceId : onDevices.deviceIds()) {
            String result;
            try {
                result = perform(deviceId, onDevices.action(), currentChannels);
                ok++;
            } catch (StepFailed e) {
                failures.incrementAndGet();
                failed.add(deviceId + ": " + e.getMessage());
                result = "FAILED, " + e.getMessage();
            }
            if (onDevices.deviceIds().size() <= DEVICES_SHOWN) {
                console.line("script " + where + ": " + deviceId + " " + result);
            }
        }
        if (onDevices.deviceIds().size() > DEVICES_SHOWN) {
            console.line("script " + where + ": " + ok + " ok, " + failed.size() + " failed"
                    + (failed.isEmpty() ? "" : " (first: " + failed.get(0) + ")"));
        }
    }

    private String perform(String id, DeviceAction action, Map<String, String> currentChannels)
            throws InterruptedException, StepFailed {
        if (action instanceof DeviceAction.Offline) {
            simulator.disconnect(id);
            return "offline";
        }
        if (action instanceof DeviceAction.Online) {
            simulator.connect(id);
            if (!simulator.awaitLinked(id, linkTimeout)) {
                throw new StepFailed("not linked again within " + linkTimeout);
            }
            return "linked";
        }
        if (!simulator.awaitLinked(id, linkTimeout)) {
            throw new StepFailed("not linked within " + linkTimeout + " (offline, or the broker is unreachable)");
        }
        try {
            return performLinked(id, action, currentChannels);
        } catch (IllegalStateException e) {
            throw new StepFailed(e.getMessage());
        }
    }

    private String performLinked(String id, DeviceAction action, Map<String, String> currentChannels)
            throws InterruptedException, StepFailed {
        if (action instanceof DeviceAction.Power power) {
            PowerReport.Builder report = PowerReport.newBuilder().setPowerState(power.state())
                    .setBatterySaver(power.batterySaver());
            if (power.source() != null) {
                report.setPowerSource(power.source());
            }
            simulator.send(id, Envelope.newBuilder().setPowerReport(report).build());
            return "reported " + power.state() + (power.source() == null ? "" : " on " + power.source())
                    + (power.batterySaver() ? " with battery saver" : "");
        }
        if (action instanceof DeviceAction.AppState state) {
            simulator.send(id, Envelope.newBuilder().setAppStateReport(io.wakeline.protocol.v1.AppStateReport.newBuilder()
                    .setAppId(state.appId()).setState(state.state())).build());
            return "reported " + state.appId() + " " + state.state();
        }
        if (action instanceof DeviceAction.LockScreen lock) {
            int requestId = requestId();
            LockScreenStatus status = answer(id, Envelope.newBuilder().setLockScreenRequest(LockScreenRequest.newBuilder()
                    .setRequestId(requestId).setAppId(lock.appId()).addAllDeclaredTasks(lock.declaredTasks())).build(),
                    Envelope.BodyCase.LOCK_SCREEN_STATUS).getLockScreenStatus();
            String prompt = "";
            if (status.getShowConsentPrompt()) {
                status = answer(id, Envelope.newBuilder().setLockScreenConsent(LockScreenConsentAnswer.newBuilder()
                        .setRequestId(requestId).setAppId(lock.appId()).setConsent(lock.consent())).build(),
                        Envelope.BodyCase.LOCK_SCREEN_STATUS).getLockScreenStatus();
                prompt = " (prompt answered " + lock.consent() + ")";
            }
            if (!status.getRejection().isEmpty()) {
                throw new StepFailed("rejected: " + status.getRejection());
            }
            return "lock screen " + status.getStatus() + prompt;
        }
        if (action instanceof DeviceAction.LockScreenRemove remove) {
            LockScreenStatus status = answer(id, Envelope.newBuilder().setLockScreenChange(LockScreenChange.newBuilder()
                    .setRequestId(requestId()).setAppId(remove.appId()).setKind(LockScreenChangeKind.REMOVED_BY_USER)).build(),
                    Envelope.BodyCase.LOCK_SCREEN_STATUS).getLockScreenStatus();
            return "lock screen " + status.getStatus();
        }
        if (action instanceof DeviceAction.Trigger trigger) {
            TriggerRegistrationStatus status = answer(id, Envelope.newBuilder().setTriggerRegistration(
                    TriggerRegistration.newBuilder().setRequestId(requestId()).setAppId(trigger.appId())
                            .setTrigger(trigger.trigger()).setFreshnessMinutes(trigger.freshnessMinutes())
                            .setUnregister(trigger.unregister())).build(),
                    Envelope.BodyCase.TRIGGER_REGISTRATION_STATUS).getTriggerRegistrationStatus();
            if (!status.getAccepted()) {
                throw new StepFailed(trigger.trigger() + " refused: " + status.getRejection());
            }
            return trigger.trigger() + (trigger.unregister() ? " unregistered" : " registered");
        }
        if (action instanceof DeviceAction.BackgroundTask task) {
            var answer = answer(id, Envelope.newBuilder().setBackgroundTaskRequest(BackgroundTaskRequest.newBuilder()
                    .setRequestId(requestId()).setAppId(task.appId()).setTrigger(task.trigger())).build(),
                    Envelope.BodyCase.BACKGROUND_TASK_ANSWER).getBackgroundTaskAnswer();
            if (answer.getVerdict() != BackgroundTaskVerdict.RUN) {
                return "verdict " + answer.getVerdict() + (answer.getReason().isEmpty() ? "" : " (" + answer.getReason() + ")");
            }
            simulator.send(id, Envelope.newBuilder().setBackgroundTaskReport(BackgroundTaskReport.newBuilder()
                    .setAppId(task.appId()).setTrigger(task.trigger()).setCpuMillis(task.cpuMillis())
                    .setNetworkBytes(task.networkBytes())).build());
            return "verdict RUN, reported " + task.cpuMillis() + " ms CPU and " + task.networkBytes() + " network bytes";
        }
        if (action instanceof DeviceAction.ControlChannel channel) {
            ControlChannelStatus status = answer(id, Envelope.newBuilder().setControlChannelRequest(
                    ControlChannelRequest.newBuilder().setRequestId(requestId()).setAppId(channel.appId())
                            .setChannelId(channel.channelId()).setServerKeepAliveMinutes(channel.keepAliveMinutes())
                            .setResourceType(channel.slot()).setOperation(ControlChannelOperation.CREATE)).build(),
                    Envelope.BodyCase.CONTROL_CHANNEL_STATUS).getControlChannelStatus();
            if (!status.getRejection().isEmpty()) {
                throw new StepFailed("rejected: " + status.getRejection());
            }
            if (status.getStatus() != ControlChannelTriggerStatus.SOFTWARE_SLOT_ALLOCATED
                    && status.getStatus() != ControlChannelTriggerStatus.HARDWARE_SLOT_ALLOCATED) {
                throw new StepFailed("status " + status.getStatus());
            }
            return status.getStatus() + " " + status.getControlChannelUri();
        }
        if (action instanceof DeviceAction.CloseControlChannel close) {
            ControlChannelStatus status = answer(id, Envelope.newBuilder().setControlChannelRequest(
                    ControlChannelRequest.newBuilder().setRequestId(requestId()).setAppId(close.appId())
                            .setChannelId(close.channelId()).setOperation(ControlChannelOperation.CLOSE)).build(),
                    Envelope.BodyCase.CONTROL_CHANNEL_STATUS).getControlChannelStatus();
            if (!status.getRejection().isEmpty()) {
                throw new StepFailed("rejected: " + status.getRejection());
            }
            return status.getClosed() ? "closed" : "not open";
        }
        if (action instanceof DeviceAction.ControlUpstream upstream) {
            long upstreamId;
            synchronized (this) {
                upstreamId = nextUpstreamId++;
            }
            simulator.send(id, Envelope.newBuilder().setControlUpstream(io.wakeline.protocol.v1.ControlUpstream.newBuilder()
                    .setAppId(upstream.appId()).setChannelId(upstream.channelId()).setUpstreamId(upstreamId)
                    .setPayload(ByteString.copyFromUtf8(upstream.payload()))).build());
            return "sent upstream " + upstreamId;
        }
        if (action instanceof DeviceAction.WebPushSubscribe subscribe) {
            WebPushKeys keys = WebPushKeys.generate(random);
            WebPushSubscriptionRecord record = simulator.subscribeWebPush(id, subscribe.appId(),
                    subscribe.applicationServerKey(), keys);
            keysBySubscription.put(record.subscriptionId(), keys);
            subscriptions.computeIfAbsent(id + " " + subscribe.appId(), key -> new ArrayList<>()).add(record.subscriptionId());
            return "subscribed " + record.endpoint();
        }
        if (action instanceof DeviceAction.WebPushUnsubscribe unsubscribe) {
            List<String> held = subscriptions.remove(id + " " + unsubscribe.appId());
            if (held == null) {
                throw new StepFailed("this script made no Web Push subscription for " + unsubscribe.appId());
            }
            for (String subscriptionId : held) {
                simulator.unsubscribeWebPush(id, subscriptionId);
            }
            return "unsubscribed " + held.size();
        }
        if (action instanceof DeviceAction.CloseChannel close) {
            String channelId = currentChannels.get(id + " " + close.appId());
            if (channelId == null) {
                throw new StepFailed("holds no channel for " + close.appId());
            }
            List<String> closed = simulator.closeChannel(id, close.appId(), channelId);
            return "closed " + closed;
        }
        throw new IllegalArgumentException("no way to perform " + action);
    }

    /** The latest channel of every (device, app), keyed {@code "device app"}. */
    private Map<String, String> currentChannels() {
        Map<String, String> current = new HashMap<>();
        for (ChannelRecord channel : simulator.channels()) {
            current.put(channel.deviceId() + " " + channel.appId(), channel.channelId());
        }
        return current;
    }

    private Envelope answer(String id, Envelope request, Envelope.BodyCase answerCase)
            throws InterruptedException, StepFailed {
        Envelope answer;
        try {
            answer = simulator.request(id, request, answerCase).get(simulator.config().requestTimeout().toNanos() + 1,
                    TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new StepFailed(e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new StepFailed("no answer within " + simulator.config().requestTimeout());
        }
        if (answer.getBodyCase() == Envelope.BodyCase.ERROR) {
            throw new StepFailed("broker answered " + answer.getError().getCode() + ": " + answer.getError().getMessage());
        }
        return answer;
    }

    private int requestId() {
        return nextRequestId.getAndUpdate(id -> id >= LAST_REQUEST_ID ? FIRST_REQUEST_ID : id + 1);
    }

    /** One device's step did not do what the script asked. */
    private static final class StepFailed extends Exception {
        StepFailed(String message) {
            super(message, null, false, false);
        }
    }
}
