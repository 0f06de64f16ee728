package io.wakeline.loadtest;

import java.util.Arrays;
import java.util.Optional;

/** The values of {@code X-WNS-Status} (and its legacy twin {@code X-WNS-NotificationStatus}), wns-spec 3.1. */
public enum WnsStatus {

    RECEIVED("received"),
    DROPPED("dropped"),
    CHANNEL_THROTTLED("channelthrottled");

    static final String HEADER = "X-WNS-Status";
    static final String LEGACY_HEADER = "X-WNS-NotificationStatus";

    private final String wireName;

    WnsStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** WNS sends lower case, but captured responses show header casing varies, so values are matched loosely too. */
    public static Optional<WnsStatus> fromWire(String value) {
        String trimmed = value.trim();
        return Arrays.stream(values()).filter(s -> s.wireName.equalsIgnoreCase(trimmed)).findFirst();
    }
}
