package io.wakeline.broker.device;

/**
 * A WNS notification of any type (wns-spec 2–5).
 *
 * @param tag   {@code X-WNS-Tag}, empty when absent: replaces the queued tile with the same tag (wns-spec 4.16)
 * @param group {@code X-WNS-Group}, empty when absent; carried for Windows Phone semantics, not used here
 */
public record WnsPush(
        String deviceId,
        String appId,
        String channelId,
        WnsType type,
        byte[] payload,
        CachePolicy cachePolicy,
        String tag,
        String group,
        PushPriority priority,
        long expiresAtMillis,
        String messageId,
        long acceptedAtMillis) implements Push {

    public boolean hasTag() {
        return !tag.isEmpty();
    }
}
