package io.wakeline.broker.metrics;

import java.util.Locale;

/**
 * Why a control message ended without an ack, as its EXPIRED or REJECTED receipt's {@code reason} says: the label
 * of {@code wakeline_control_ended_total}. Receipts carry no reason yet ({@code UNSPECIFIED}); the entity's
 * receipts are to name one of these (a hook for after the entity split), and any other text counts as
 * {@code OTHER}, so the label stays bounded.
 */
public enum ControlEndReason {
    /** Its TTL passed before the device acked it. */
    TTL,
    /** The device app closed the control channel. */
    CHANNEL_CLOSED,
    /** The device reset its control channels (ControlChannelTriggerResetReason). */
    CHANNEL_RESET,
    /** The receipt gave no reason. */
    UNSPECIFIED,
    /** A reason outside this list. */
    OTHER;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The receipt's reason: a constant's name in any case, with '-' or '_' ("channel-closed"). */
    public static ControlEndReason of(String reason) {
        if (reason == null || reason.isBlank()) {
            return UNSPECIFIED;
        }
        String name = reason.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ControlEndReason known : values()) {
            if (known.name().equals(name) && known != UNSPECIFIED && known != OTHER) {
                return known;
            }
        }
        return OTHER;
    }
}
