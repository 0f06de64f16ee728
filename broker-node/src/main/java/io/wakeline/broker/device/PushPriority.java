package io.wakeline.broker.device;

import java.util.Optional;

/**
 * {@code X-WNS-PRIORITY} (wns-spec 2.1, 4.17); Web Push {@code Urgency} maps onto it (RFC 8030 §5.3):
 * high → {@link #HIGH}, normal → {@link #MEDIUM}, low → {@link #LOW}, very-low → {@link #VERY_LOW}.
 */
public enum PushPriority {
    HIGH(1),
    MEDIUM(2),
    LOW(3),
    VERY_LOW(4);

    private final int headerValue;

    PushPriority(int headerValue) {
        this.headerValue = headerValue;
    }

    public int headerValue() {
        return headerValue;
    }

    public static Optional<PushPriority> ofHeader(String value) {
        for (PushPriority priority : values()) {
            if (String.valueOf(priority.headerValue).equals(value)) {
                return Optional.of(priority);
            }
        }
        return Optional.empty();
    }
}
