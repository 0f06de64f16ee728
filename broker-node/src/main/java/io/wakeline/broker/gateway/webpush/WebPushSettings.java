package io.wakeline.broker.gateway.webpush;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * {@code wakeline.app-gateway.web-push} (reference.conf).
 *
 * @param goneStatus answer to a send to an expired or removed subscription: 410 (what deployed services answer)
 *                   or 404 (RFC 8030 §7.3) — wns-spec 9.10
 * @param maxTtl     longest time to live kept; a longer request is shortened and the answer's {@code TTL} says so
 *                   (RFC 8030 §5.2)
 * @param receiptSubscriptionLifetime how long a receipt subscription issued with a 202 stays valid (RFC 8030 §5.1,
 *                   §7.3)
 */
public record WebPushSettings(int goneStatus, Duration maxTtl, Duration receiptSubscriptionLifetime) {

    public static final String PATH = "wakeline.app-gateway.web-push";

    public WebPushSettings {
        if (goneStatus != 404 && goneStatus != 410) {
            throw new ConfigException.BadValue(PATH + ".gone-status", "must be 404 or 410");
        }
    }

    public static WebPushSettings fromConfig(Config webPush) {
        return new WebPushSettings(webPush.getInt("gone-status"), webPush.getDuration("max-ttl"),
                webPush.getDuration("receipt-subscription-lifetime"));
    }
}
