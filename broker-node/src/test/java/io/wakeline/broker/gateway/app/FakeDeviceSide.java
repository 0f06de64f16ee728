package io.wakeline.broker.gateway.app;

import akka.pattern.AskTimeoutException;
import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WnsPush;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A device side that answers by the push's target (channel or subscription id) and remembers what it was given:
 * "delivered", "stored", "dropped", "unknown", "closed", "hang" (no answer: the ask times out after
 * {@link #ASK_TIMEOUT}, as the sharded directory's ask does); anything else fails.
 * Web Push messages sent to "stored" stay pending for the message resource until deleted.
 */
public final class FakeDeviceSide implements DeviceDirectory {
    /** How long the fake's asks take to time out: the device-ask-timeout a real directory would be built with. */
    public static final Duration ASK_TIMEOUT = Duration.ofSeconds(1);
    public final Map<String, Push> lastByTarget = new ConcurrentHashMap<>();
    private final Set<String> pendingMessages = ConcurrentHashMap.newKeySet();

    @Override
    public CompletionStage<PushOutcome> deliver(Push push) {
        String target = push instanceof WnsPush wns ? wns.channelId() : ((WebPushMessage) push).subscriptionId();
        lastByTarget.put(target, push);
        return switch (target) {
            case "delivered" -> CompletableFuture.completedFuture(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED));
            case "stored" -> {
                pendingMessages.add(push.messageId());
                yield CompletableFuture.completedFuture(
                        new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE));
            }
            case "dropped" -> CompletableFuture.completedFuture(
                    new PushOutcome.Dropped(DeviceConnectionStatus.DISCONNECTED, PushOutcome.DropReason.NotCachedOffline));
            case "unknown" -> CompletableFuture.completedFuture(new PushOutcome.TargetUnknown());
            case "closed" -> CompletableFuture.completedFuture(new PushOutcome.TargetClosed());
            case "hang" -> noAnswer();
            default -> CompletableFuture.failedFuture(new IllegalStateException("device side broke"));
        };
    }

    /** The device's entity does not answer: the ask fails as Akka's ask does once its timeout has passed. */
    public static <T> CompletableFuture<T> noAnswer() {
        CompletableFuture<T> answer = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                answer.completeExceptionally(new AskTimeoutException("no answer within " + ASK_TIMEOUT)));
        return answer;
    }

    @Override
    public CompletionStage<DeviceEntity.StoredWebPushMessage> manageWebPushMessage(String deviceId, String subscriptionId,
            String messageId, DeviceEntity.MessageAction action) {
        boolean pending = action == DeviceEntity.MessageAction.Delete
                ? pendingMessages.remove(messageId) : pendingMessages.contains(messageId);
        return CompletableFuture.completedFuture(new DeviceEntity.StoredWebPushMessage(pending));
    }
}
