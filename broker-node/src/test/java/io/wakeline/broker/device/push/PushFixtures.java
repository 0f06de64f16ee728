package io.wakeline.broker.device.push;

import io.wakeline.broker.device.CachePolicy;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushPriority;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WebPushUrgency;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.device.WnsType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Pushes for rule tests: one device, two apps, clear payloads. */
final class PushFixtures {
    static final String APP = "ms-app://S-1-15-2-100";
    static final String OTHER_APP = "ms-app://S-1-15-2-200";
    static final long NOW = 1_800_000_000_000L;
    private static final AtomicInteger IDS = new AtomicInteger();

    private PushFixtures() {
    }

    static WnsPush wns(WnsType type, String body) {
        return wns(APP, "ch-1", type, body, type.defaultCachePolicy(), "", type.defaultPriority(), Push.NEVER, NOW);
    }

    static WnsPush wns(String app, String channel, WnsType type, String body, CachePolicy cache, String tag,
                       PushPriority priority, long expiresAt, long acceptedAt) {
        return new WnsPush("dev-1", app, channel, type, body.getBytes(StandardCharsets.UTF_8), cache, tag, "", priority,
                expiresAt, "M" + IDS.incrementAndGet(), acceptedAt);
    }

    static WebPushMessage webPush(String subscription, String body, long ttlSeconds, WebPushUrgency urgency, String topic,
                                  long acceptedAt) {
        return new WebPushMessage("dev-1", APP, subscription, body.getBytes(StandardCharsets.UTF_8), "aes128gcm",
                ttlSeconds, urgency, topic, WebPushMessage.ReceiptRequest.NONE, "W" + IDS.incrementAndGet(), acceptedAt);
    }

    /** The same, with a receipt asked for: it goes to receipt subscription {@code receipts}. */
    static WebPushMessage webPushWithReceipt(String subscription, String body, long ttlSeconds, String topic,
                                             String receipts, long acceptedAt) {
        String id = "W" + IDS.incrementAndGet();
        return new WebPushMessage("dev-1", APP, subscription, body.getBytes(StandardCharsets.UTF_8), "aes128gcm",
                ttlSeconds, WebPushUrgency.NORMAL, topic,
                new WebPushMessage.ReceiptRequest(receipts, "https://push.example/wp/m/" + id), id, acceptedAt);
    }

    static String body(Push push) {
        byte[] payload = push instanceof WnsPush w ? w.payload() : ((WebPushMessage) push).payload();
        return new String(payload, StandardCharsets.UTF_8);
    }
}
