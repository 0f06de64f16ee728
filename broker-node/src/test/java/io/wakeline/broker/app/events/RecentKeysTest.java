package io.wakeline.broker.app.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RecentKeysTest {

    @Test
    void aKeyIsRememberedOnceAndForgottenBeyondCapacity() {
        RecentKeys keys = new RecentKeys(3);
        assertTrue(keys.remember("a"));
        assertFalse(keys.remember("a"));
        keys.remember("b");
        keys.remember("c");
        keys.remember("d");
        assertFalse(keys.contains("a"), "the oldest key left the window");
        assertEquals(List.of("b", "c", "d"), keys.keysOldestFirst());
    }

    @Test
    void freshDropsKeysInTheWindowAndRepeatsWithinTheBatchKeepingOrder() {
        RecentKeys keys = new RecentKeys(10, List.of("x"));
        assertEquals(List.of("a", "b"), keys.fresh(List.of("x", "a", "b", "a", "x"), Function.identity()));
    }

    @Test
    void aWindowRebuiltFromItsKeysKeepsTheNewestWithinCapacity() {
        RecentKeys keys = new RecentKeys(2, List.of("a", "b", "c"));
        assertEquals(List.of("b", "c"), keys.keysOldestFirst());
    }

    @Test
    void freshEachDropsKeysInTheWindowAndKeysOfEarlierBatchesOfTheSameWrite() {
        RecentKeys keys = new RecentKeys(10, List.of("x"));
        assertEquals(List.of(List.of("a", "b"), List.of("c"), List.of()),
                keys.freshEach(List.of(List.of("x", "a", "b", "a"), List.of("b", "c"), List.of("x", "c")),
                        Function.identity()));
    }
}
