package io.wakeline.broker.device;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.wakeline.broker.CborSerializable;

/**
 * A notification accepted at an app-server gateway, on its way to one app on one device. Never journaled: it
 * lives in the device entity's memory until delivered, dropped or expired.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
    @JsonSubTypes.Type(value = WnsPush.class, name = "wns"),
    @JsonSubTypes.Type(value = WebPushMessage.class, name = "webpush")
})
public sealed interface Push extends CborSerializable permits WnsPush, WebPushMessage {

    /** {@link #expiresAtMillis()} of a push without a time to live. */
    long NEVER = Long.MAX_VALUE;

    String deviceId();

    String appId();

    /** The id given to the app server ({@code X-WNS-Msg-ID}, or the Web Push message resource). */
    String messageId();

    long acceptedAtMillis();

    /** After this instant the push is never delivered (wns-spec 4.11, RFC 8030 §5.2); {@link #NEVER} if unbounded. */
    long expiresAtMillis();

    /** Where the push sits in the wns-spec 4.17 delivery matrix. */
    PushPriority priority();

    default boolean isExpiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis();
    }
}
