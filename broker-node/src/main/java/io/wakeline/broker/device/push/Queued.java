package io.wakeline.broker.device.push;

import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.link.DeliveryMode;

/**
 * A push kept for, or handed to, the device's live link, with how it reaches its app: decided once, when it was
 * offered on a live link (raw: by the Windows rules, wns-spec 5.4), and carried with it until it goes out. Toast,
 * tile and badge are {@link DeliveryMode#Display}; Web Push messages have no mode and carry {@code Display} too.
 */
public record Queued(Push push, DeliveryMode mode) {

    /** A push whose way to the app needs no decision: toast, tile, badge, Web Push. */
    public static Queued displayed(Push push) {
        return new Queued(push, DeliveryMode.Display);
    }
}
