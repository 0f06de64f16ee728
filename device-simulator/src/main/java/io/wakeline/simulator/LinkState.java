package io.wakeline.simulator;

/** Where one simulated device stands with its link to the broker. */
enum LinkState {
    /** Kept offline: by {@code DeviceSimulator.disconnect}, or because a newer link took over (GoAway REPLACED). */
    OFFLINE,
    /** Waiting out a reconnect delay (backoff after a failure, or the delay a GoAway asked for). */
    BACKING_OFF,
    /** Waiting for a slot under the connect rate limit. */
    QUEUED,
    /** TCP connect in flight. */
    CONNECTING,
    /** Hello sent; the broker's Challenge is due. */
    AWAITING_CHALLENGE,
    /** Authenticate sent; Welcome (or a fatal Error) is due. */
    AWAITING_WELCOME,
    /** Welcome received: the link carries channels, notifications and heartbeats. */
    LINKED,
    /** The simulator was closed. */
    STOPPED;

    /** Whether the device holds an open socket in this state. */
    boolean hasSocket() {
        return this == CONNECTING || this == AWAITING_CHALLENGE || this == AWAITING_WELCOME || this == LINKED;
    }

    /** Whether the TCP connection is established (the handshake may still be under way). */
    boolean isConnected() {
        return this == AWAITING_CHALLENGE || this == AWAITING_WELCOME || this == LINKED;
    }
}
