package io.wakeline.loadtest;

/**
 * Answers by {@code X-WNS-Status} (or legacy {@code X-WNS-NotificationStatus}); {@code unrecognized}
 * counts a header with any other value. Answers without the header (most error statuses) are in none.
 */
public record WnsStatusCounts(long received, long dropped, long channelThrottled, long unrecognized) {
}
