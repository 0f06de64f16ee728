package io.wakeline.broker.device.push;

import java.util.Locale;

/**
 * Which published WNS offline-cache rule the broker follows (wns-spec 4.9, 4.10). Raw notifications are the same
 * under all three: kept only with {@code X-WNS-Cache-Policy: cache}, and then only the latest one (wns-spec 5.9).
 */
public enum OfflineCachePolicy {
    /** Windows 8 text (default): per app one badge and one tile (five with the tile queue); toasts never kept. */
    Windows8(Scope.App, true, false),
    /** The 2021 text: per channel one badge, one tile (five with the tile queue) and one toast. */
    Windows10(Scope.Channel, true, true),
    /** Since February 2023: per channel one badge, one tile (never a queue) and one toast. */
    Wns2023(Scope.Channel, false, true);

    /** What one set of cached items belongs to. */
    public enum Scope {
        App,
        Channel
    }

    private final Scope scope;
    private final boolean tileQueueAllowed;
    private final boolean cachesToasts;

    OfflineCachePolicy(Scope scope, boolean tileQueueAllowed, boolean cachesToasts) {
        this.scope = scope;
        this.tileQueueAllowed = tileQueueAllowed;
        this.cachesToasts = cachesToasts;
    }

    public Scope scope() {
        return scope;
    }

    public boolean tileQueueAllowed() {
        return tileQueueAllowed;
    }

    public boolean cachesToasts() {
        return cachesToasts;
    }

    /** {@code windows-8}, {@code windows-10}, {@code wns-2023} (configuration spelling). */
    public static OfflineCachePolicy fromConfig(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "windows-8" -> Windows8;
            case "windows-10" -> Windows10;
            case "wns-2023" -> Wns2023;
            default -> throw new IllegalArgumentException(
                    "offline-cache policy must be windows-8, windows-10 or wns-2023, not " + value);
        };
    }
}
