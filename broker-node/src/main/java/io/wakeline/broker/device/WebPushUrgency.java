package io.wakeline.broker.device;

import java.util.Optional;

/** RFC 8030 §5.3 {@code Urgency}; never forwarded to the device, only used to decide when to deliver. */
public enum WebPushUrgency {
    VERY_LOW("very-low", PushPriority.VERY_LOW),
    LOW("low", PushPriority.LOW),
    NORMAL("normal", PushPriority.MEDIUM),
    HIGH("high", PushPriority.HIGH);

    private final String headerValue;
    private final PushPriority priority;

    WebPushUrgency(String headerValue, PushPriority priority) {
        this.headerValue = headerValue;
        this.priority = priority;
    }

    public String headerValue() {
        return headerValue;
    }

    /** Where the urgency sits in the wns-spec 4.17 delivery matrix. */
    public PushPriority priority() {
        return priority;
    }

    public static Optional<WebPushUrgency> ofHeader(String value) {
        for (WebPushUrgency urgency : values()) {
            if (urgency.headerValue.equals(value)) {
                return Optional.of(urgency);
            }
        }
        return Optional.empty();
    }
}
