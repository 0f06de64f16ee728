package io.wakeline.simulator;

import java.util.random.RandomGenerator;

/** An inclusive range of non-negative whole numbers, such as the CPU milliseconds a background task uses. */
public record LongRange(long min, long max) {

    public LongRange {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("range must satisfy 0 <= min <= max: " + min + ".." + max);
        }
    }

    public boolean contains(long value) {
        return value >= min && value <= max;
    }

    long draw(RandomGenerator random) {
        if (min == max) {
            return min;
        }
        return max == Long.MAX_VALUE ? random.nextLong(min, max) : random.nextLong(min, max + 1);
    }

    /** Parses {@code MIN-MAX} or a single number. */
    static LongRange parse(String text) {
        String trimmed = text.trim();
        int dash = trimmed.indexOf('-', 1);
        try {
            if (dash < 0) {
                long value = Long.parseLong(trimmed);
                return new LongRange(value, value);
            }
            return new LongRange(Long.parseLong(trimmed.substring(0, dash).trim()),
                    Long.parseLong(trimmed.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a range MIN-MAX: " + text);
        }
    }

    @Override
    public String toString() {
        return min + "-" + max;
    }
}
