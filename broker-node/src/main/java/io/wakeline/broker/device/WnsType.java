package io.wakeline.broker.device;

import io.wakeline.broker.device.link.NotificationKind;
import java.util.Optional;

/** {@code X-WNS-Type} (wns-spec 2.1), with each type's content type and defaults. */
public enum WnsType {
    TOAST("wns/toast", "text/xml", NotificationKind.Toast, PushPriority.HIGH, CachePolicy.CACHE),
    TILE("wns/tile", "text/xml", NotificationKind.Tile, PushPriority.MEDIUM, CachePolicy.CACHE),
    BADGE("wns/badge", "text/xml", NotificationKind.Badge, PushPriority.MEDIUM, CachePolicy.CACHE),
    RAW("wns/raw", "application/octet-stream", NotificationKind.Raw, PushPriority.LOW, CachePolicy.NO_CACHE);

    private final String headerValue;
    private final String contentType;
    private final NotificationKind kind;
    private final PushPriority defaultPriority;
    private final CachePolicy defaultCachePolicy;

    WnsType(String headerValue, String contentType, NotificationKind kind, PushPriority defaultPriority,
            CachePolicy defaultCachePolicy) {
        this.headerValue = headerValue;
        this.contentType = contentType;
        this.kind = kind;
        this.defaultPriority = defaultPriority;
        this.defaultCachePolicy = defaultCachePolicy;
    }

    public String headerValue() {
        return headerValue;
    }

    /** The one media type a send of this type may declare (wns-spec 2.1). */
    public String contentType() {
        return contentType;
    }

    /** What the device's link calls this type. */
    public NotificationKind kind() {
        return kind;
    }

    /** wns-spec 2.1 {@code X-WNS-PRIORITY}: toast 1, tile and badge 2, raw 3. */
    public PushPriority defaultPriority() {
        return defaultPriority;
    }

    /**
     * wns-spec 2.1 {@code X-WNS-Cache-Policy}: tile and badge default to {@code cache}, raw to {@code no-cache}.
     * The header does not apply to toasts; whether an offline toast is kept is the offline-cache policy's call.
     */
    public CachePolicy defaultCachePolicy() {
        return defaultCachePolicy;
    }

    public static Optional<WnsType> ofHeader(String value) {
        for (WnsType type : values()) {
            if (type.headerValue.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
