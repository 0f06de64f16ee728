package io.wakeline.broker.device;

/**
 * {@code X-WNS-Cache-Policy} (wns-spec 2.1): whether an offline device's notification may be kept for it. Raw
 * defaults to {@link #NO_CACHE}, tile and badge to {@link #CACHE} ({@link WnsType#defaultCachePolicy()}).
 */
public enum CachePolicy {
    CACHE,
    NO_CACHE
}
