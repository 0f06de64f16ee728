package io.wakeline.broker.gateway.app;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WnsPush;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A device side that answers by the push's target (channel or subscription id) and remembers what it was given:
 * "delivered", "stored", "dropped", "unknown", "closed", "hang" (never answers); anything else fails.
 * Web Push messages sent to "stored" stay pending for the message resource until deleted.
 */
public final class FakeDeviceSide implements DeviceDirectory {
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
            case "hang" -> new CompletableFuture<>();
            default -> CompletableFuture.failedFuture(new IllegalStateException("device side broke"));
        };
    }

    @Override
    public CompletionStage<DeviceEntity.StoredWebPushMessage> manageWebPushMessage(String deviceId, String subscriptionId,
            String messageId, DeviceEntity.MessageAction action) {
        boolean pending = action == DeviceEntity.MessageAction.Delete
                ? pendingMessages.remove(messageId) : pendingMessages.contains(messageId);
        return CompletableFuture.completedFuture(new DeviceEntity.StoredWebPushMessage(pending));
    }
}
