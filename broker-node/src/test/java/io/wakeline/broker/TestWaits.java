package io.wakeline.broker;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in tests for something that happens on other threads (a node, a device simulator, an HTTP client): poll a
 * condition until it holds, and fail with what was last seen when it does not within the bound. For "nothing more
 * arrives", do not wait a short while and look: send a marker after the last thing that counts and wait for it,
 * so a late duplicate is behind the marker or caught before it.
 */
public final class TestWaits {
    private static final long POLL_MILLIS = 20;

    private TestWaits() {
    }

    /** Something to try again, such as a request whose answer changes once an asynchronous report has landed. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code attempt} every 50 ms until its result satisfies {@code done}, for at most {@code timeout}; returns the
     * last result, which the caller asserts on (so a failure shows what was last answered).
     */
    public static <T> T pollUntil(Duration timeout, Attempt<T> attempt, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T result = attempt.run();
        while (!done.test(result) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            result = attempt.run();
        }
        return result;
    }

    /** Polls {@code condition} every 20 ms until it holds; fails after {@code timeout}. */
    public static void awaitUntil(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        awaitUntil(timeout, () -> "", condition);
    }

    /** As {@link #awaitUntil(Duration, BooleanSupplier)}; on failure the message ends with {@code lastSeen}. */
    public static void awaitUntil(Duration timeout, Supplier<String> lastSeen, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String seen = lastSeen.get();
                throw new AssertionError("condition not met within " + timeout + (seen.isEmpty() ? "" : ": " + seen));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
