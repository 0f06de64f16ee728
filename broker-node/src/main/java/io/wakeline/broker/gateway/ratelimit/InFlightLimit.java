package io.wakeline.broker.gateway.ratelimit;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

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

    /**
     * Runs {@code send} in a free slot, which is given back when its stage completes, or at once if it throws;
     * empty, without running it, when every slot is taken.
     */
    public <T> Optional<CompletionStage<T>> tryRun(Supplier<? extends CompletionStage<T>> send) {
        if (!tryAcquire()) {
            return Optional.empty();
        }
        CompletionStage<T> running;
        try {
            running = send.get();
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        return Optional.of(running.whenComplete((value, failure) -> release()));
    }

    public int inFlight() {
        return inFlight.get();
    }

    private boolean tryAcquire() {
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

    private void release() {
        inFlight.decrementAndGet();
    }
}
