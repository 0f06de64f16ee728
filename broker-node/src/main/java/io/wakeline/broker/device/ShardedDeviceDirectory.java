package io.wakeline.broker.device;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.wakeline.broker.AkkaStages;
import io.wakeline.broker.device.policy.DevicePolicyState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@link DeviceDirectory} over cluster sharding: the device's entity may live on any node. Answers complete on the
 * actor system's dispatcher ({@link AkkaStages}).
 */
public final class ShardedDeviceDirectory implements DeviceDirectory, DeviceInspector, ControlChannelDirectory {
    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final Executor executor;

    public ShardedDeviceDirectory(ActorSystem<?> system, Duration askTimeout) {
        this.sharding = ClusterSharding.get(system);
        this.askTimeout = askTimeout;
        this.executor = system.executionContext();
    }

    @Override
    public CompletionStage<Optional<DeviceEntity.DeviceView>> inspect(String deviceId) {
        return AkkaStages.on(sharding.entityRefFor(DeviceEntity.ENTITY_KEY, deviceId)
                .<DeviceEntity.DeviceView>ask(DeviceEntity.GetDevice::new, askTimeout), executor)
                .thenApply(view -> view.attached() || !view.channelsByApp().isEmpty()
                        || !view.policy().equals(DevicePolicyState.INITIAL) ? Optional.of(view) : Optional.empty());
    }

    @Override
    public CompletionStage<PushOutcome> deliver(Push push) {
        return AkkaStages.on(sharding.entityRefFor(DeviceEntity.ENTITY_KEY, push.deviceId())
                .ask(replyTo -> new DeviceEntity.DeliverPush(push, replyTo), askTimeout), executor);
    }

    @Override
    public CompletionStage<DeviceEntity.StoredWebPushMessage> manageWebPushMessage(
            String deviceId, String subscriptionId, String messageId, DeviceEntity.MessageAction action) {
        return AkkaStages.on(sharding.entityRefFor(DeviceEntity.ENTITY_KEY, deviceId)
                .ask(replyTo -> new DeviceEntity.ManageWebPushMessage(subscriptionId, messageId, action, replyTo),
                        askTimeout), executor);
    }

    @Override
    public CompletionStage<DeviceEntity.ControlSendReply> enqueueControl(String deviceId, String appId, String channelId,
                                                                         String clientMessageId, byte[] payload,
                                                                         long nowMillis, long expiresAtMillis) {
        return AkkaStages.on(sharding.entityRefFor(DeviceEntity.ENTITY_KEY, deviceId)
                .ask(replyTo -> new DeviceEntity.EnqueueControlMessage(appId, channelId, clientMessageId, payload,
                        nowMillis, expiresAtMillis, replyTo), askTimeout), executor);
    }

    @Override
    public CompletionStage<DeviceEntity.ControlMessageStatus> controlMessageStatus(String deviceId, String appId,
                                                                                   String channelId, String messageId) {
        return AkkaStages.on(sharding.entityRefFor(DeviceEntity.ENTITY_KEY, deviceId)
                .ask(replyTo -> new DeviceEntity.GetControlMessage(appId, channelId, messageId, replyTo), askTimeout), executor);
    }
}
