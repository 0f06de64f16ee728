package io.wakeline.broker.app.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The last {@code capacity} event keys an app's log recorded, oldest first: a re-published event whose key
 * is still in the window is a duplicate. Mutable and owned by one entity; {@link #keysOldestFirst()} copies.
 */
public final class RecentKeys {
    private final int capacity;
    private final ArrayDeque<String> order;
    private final Set<String> members;

    public RecentKeys(int capacity) {
        this(capacity, List.of());
    }

    public RecentKeys(int capacity, List<String> oldestFirst) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.order = new ArrayDeque<>(Math.min(capacity, 1 << 16));
        this.members = new HashSet<>();
        oldestFirst.forEach(this::remember);
    }

    public boolean contains(String key) {
        return members.contains(key);
    }

    /** Remembers {@code key}, forgetting the oldest beyond capacity; false when it was already remembered. */
    public boolean remember(String key) {
        if (!members.add(key)) {
            return false;
        }
        order.addLast(key);
        while (order.size() > capacity) {
            members.remove(order.removeFirst());
        }
        return true;
    }

    public int size() {
        return order.size();
    }

    public List<String> keysOldestFirst() {
        return new ArrayList<>(order);
    }

    /**
     * Of each list in {@code batches}, those to record: not in the window, not repeated within the list and not in an
     * earlier list of {@code batches}; in order. For several batches written together as one.
     */
    public <E> List<List<E>> freshEach(List<List<E>> batches, java.util.function.Function<E, String> key) {
        List<List<E>> fresh = new ArrayList<>(batches.size());
        Set<String> seenInWrite = new HashSet<>();
        for (List<E> events : batches) {
            List<E> kept = new ArrayList<>(events.size());
            for (E event : events) {
                String k = key.apply(event);
                if (!members.contains(k) && seenInWrite.add(k)) {
                    kept.add(event);
                }
            }
            fresh.add(kept);
        }
        return fresh;
    }

    /** Of {@code events}, those to record: not in the window and not repeated within the list, in order. */
    public <E> List<E> fresh(List<E> events, java.util.function.Function<E, String> key) {
        List<E> fresh = new ArrayList<>(events.size());
        Set<String> seenInBatch = new HashSet<>();
        for (E event : events) {
            String k = key.apply(event);
            if (!members.contains(k) && seenInBatch.add(k)) {
                fresh.add(event);
            }
        }
        return fresh;
    }
}
