package io.wakeline.broker;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand, for code that reads the time through an {@link InstantSource}. Thread-safe. */
public final class ManualClock implements InstantSource {
    private final AtomicLong millis;

    public ManualClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** Starts at the wall clock's now. */
    public static ManualClock startingNow() {
        return new ManualClock(System.currentTimeMillis());
    }

    public void advance(Duration by) {
        millis.addAndGet(by.toMillis());
    }

    public void set(long newMillis) {
        millis.set(newMillis);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }
}
