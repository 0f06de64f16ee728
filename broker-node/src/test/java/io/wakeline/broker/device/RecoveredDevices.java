package io.wakeline.broker.device;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.typed.internal.EventSourcedBehaviorImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEventPublisher;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.device.policy.SandboxBudgetSettings;
import io.wakeline.broker.device.push.PushDeliverySettings;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import io.wakeline.broker.device.shell.DeviceEntityShell;
import io.wakeline.broker.device.shell.DeviceServices;
import io.wakeline.broker.gateway.device.RegistryLinks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Starts device entities from a journal in a one-node cluster (sharding, the real journal plugin) and records what
 * they show, as plain JSON: the recovered state, {@code GetDevice}, the inspector, the status of each control message,
 * the receipts they publish again after recovery, and what they answer to a few pushes. The writer of a journal
 * fixture records this with the build that wrote the journal; the recovery test compares it with the current build.
 *
 * <p>The app event log never confirms a publish here, so nothing the entities do after recovery changes their state
 * while it is being looked at.
 */
final class RecoveredDevices {
    static final PushEndpoints ENDPOINTS = DeviceEntityFixture.ENDPOINTS;

    /** Production defaults where they decide how events apply (fate retention, receipts kept). */
    static final DeviceEntitySettings SETTINGS = new DeviceEntitySettings(Duration.ofMinutes(2), 500, Duration.ofDays(30),
            Duration.ofSeconds(5), "", SandboxBudgetSettings.WINDOWS_8_DEFAULTS, PushDeliverySettings.DEFAULTS,
            ControlChannelSettings.DEFAULTS);

    private RecoveredDevices() {
    }

    /** An app event log that takes every publish and never confirms one. */
    static final class UnconfirmedLog implements AppEventPublisher {
        final List<AppEvent> published = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Done> publish(String appId, List<AppEvent> events) {
            published.addAll(events);
            return new CompletableFuture<>();
        }

        /** The device's events in the order first published; a publish repeated after a timeout counts once. */
        List<AppEvent> of(String deviceId) {
            Map<String, AppEvent> byKey = new LinkedHashMap<>();
            published.stream().filter(e -> e.deviceId().equals(deviceId)).forEach(e -> byKey.putIfAbsent(e.key(), e));
            return List.copyOf(byKey.values());
        }
    }

    /**
     * What the devices of {@code scenario} show once recovered on {@code testKit}'s system (a joined one-node cluster on
     * the journal under test). {@code receiptsPerDevice}: how many re-published receipts to wait for per device, or
     * -1 to wait a fixed time (when writing a fixture, the number is not known yet).
     */
    static ObjectNode observe(ActorTestKit testKit, JsonNode scenario, JsonNode receiptsPerDevice, long nowMillis)
            throws Exception {
        UnconfirmedLog log = new UnconfirmedLog();
        ActorRef<ShardingEnvelope<DeviceEntity.Command>> region = DeviceEntityShell.init(testKit.system(), SETTINGS,
                new DeviceServices(ENDPOINTS, log, new RegistryLinks(), InstantSource.system()));
        ShardedDeviceDirectory directory = new ShardedDeviceDirectory(testKit.system(), Duration.ofSeconds(20));
        ClusterSharding sharding = ClusterSharding.get(testKit.system());
        ObjectNode observed = JournalFixture.JSON.createObjectNode();
        for (JsonNode device : scenario) {
            String deviceId = device.get("deviceId").asText();
            ObjectNode shown = observed.putObject(deviceId);
            // first message: the entity recovers and answers before anything it tells itself after recovery
            shown.set("state", JournalFixture.tree(testKit.system(), stateOf(testKit, region, deviceId)));
            DeviceEntity.DeviceView view = sharding.entityRefFor(DeviceEntity.ENTITY_KEY, deviceId)
                    .<DeviceEntity.DeviceView>ask(DeviceEntity.GetDevice::new, Duration.ofSeconds(20))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            shown.set("view", JournalFixture.tree(testKit.system(), view));
            shown.put("inspectorKnowsIt", directory.inspect(deviceId).toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .isPresent());
            ObjectNode statuses = shown.putObject("statuses");
            for (JsonNode m : device.get("messages")) {
                DeviceEntity.ControlMessageStatus status = directory.controlMessageStatus(deviceId, m.get("appId").asText(),
                        m.get("channelId").asText(), m.get("messageId").asText()).toCompletableFuture().get(30, TimeUnit.SECONDS);
                statuses.set(m.get("messageId").asText(), JournalFixture.tree(testKit.system(), status));
            }
            var outcomes = shown.putArray("pushOutcomes");
            int i = 0;
            for (JsonNode p : device.get("pushes")) {
                Push push = push(deviceId, p, "probe-" + (i++), nowMillis);
                outcomes.add(JournalFixture.tree(testKit.system(),
                        directory.deliver(push).toCompletableFuture().get(30, TimeUnit.SECONDS)));
            }
        }
        for (JsonNode device : scenario) {
            String deviceId = device.get("deviceId").asText();
            int expected = receiptsPerDevice == null ? -1 : receiptsPerDevice.get(deviceId).asInt();
            awaitReceipts(log, deviceId, expected);
            var receipts = ((ObjectNode) observed.get(deviceId)).putArray("receiptsPublishedAgain");
            log.of(deviceId).forEach(e -> receipts.add(JournalFixture.tree(testKit.system(), e)));
        }
        return observed;
    }

    /** The probe pushes of a scenario: a push of the given kind to {@code target} (a channel or subscription id). */
    static Push push(String deviceId, JsonNode probe, String messageId, long nowMillis) {
        String appId = probe.get("appId").asText();
        String target = probe.get("target").asText();
        byte[] body = "probe".getBytes(StandardCharsets.UTF_8);
        return switch (probe.get("kind").asText()) {
            case "raw" -> new WnsPush(deviceId, appId, target, WnsType.RAW, body, CachePolicy.NO_CACHE, "", "",
                    PushPriority.LOW, Push.NEVER, messageId, nowMillis);
            case "tile" -> new WnsPush(deviceId, appId, target, WnsType.TILE, body, CachePolicy.CACHE, "", "",
                    PushPriority.MEDIUM, Push.NEVER, messageId, nowMillis);
            case "toast" -> new WnsPush(deviceId, appId, target, WnsType.TOAST, body, CachePolicy.CACHE, "", "",
                    PushPriority.HIGH, Push.NEVER, messageId, nowMillis);
            case "webpush" -> new WebPushMessage(deviceId, appId, target, body, "aes128gcm", probe.get("ttl").asLong(),
                    WebPushUrgency.NORMAL, "", WebPushMessage.ReceiptRequest.NONE, messageId, nowMillis);
            default -> throw new IllegalArgumentException("unknown probe " + probe);
        };
    }

    private static Object stateOf(ActorTestKit testKit, ActorRef<ShardingEnvelope<DeviceEntity.Command>> region,
                                  String deviceId) {
        // Akka's own way to read an event-sourced actor's state (what EventSourcedBehaviorTestKit.getState sends);
        // internal API, pinned with the Akka version. Sent through the shard region like any command.
        TestProbe<EventSourcedBehaviorImpl.GetStateReply<Object>> probe = testKit.createTestProbe();
        tellAnything(region, new ShardingEnvelope<Object>(deviceId, new EventSourcedBehaviorImpl.GetState<>(probe.ref())));
        return probe.receiveMessage(Duration.ofSeconds(30)).currentState();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void tellAnything(ActorRef<?> region, Object message) {
        ((ActorRef) region).tell(message);
    }

    private static void awaitReceipts(UnconfirmedLog log, String deviceId, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(expected < 0 ? 3 : 20).toNanos();
        while (System.nanoTime() < deadline && (expected < 0 || log.of(deviceId).size() < expected)) {
            Thread.sleep(20);
        }
    }

    static List<String> deviceIds(JsonNode scenario) {
        List<String> ids = new ArrayList<>();
        scenario.forEach(d -> ids.add(d.get("deviceId").asText()));
        return ids;
    }
}
