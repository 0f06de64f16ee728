package io.wakeline.broker.gateway.ratelimit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the sends this node works on at once (read body, ask the device side, answer). Past the bound a send is
 * refused at once with 503 and {@code Retry-After} (wns-spec 3.2) instead of queueing behind the others: an
 * overloaded node sheds load rather than answering everyone late.
 */
public final class InFlightLimit {
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    public InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        this.max = max;
    }

    /** Takes a slot if one is free; the caller must {@link #release()} it exactly once. */
    public boolean tryAcquire() {
        while (true) {
            int current = inFlight.get();
            if (current >= max) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
