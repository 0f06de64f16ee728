package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.simulator.DeviceSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The guaranteed path's end-to-end check, shared by the crash and failover tests: per channel key, the message
 * numbers the app server got a 2xx for, against the numbers the simulated devices processed (after their
 * de-duplication by message id).
 */
final class ControlTraffic {
    private ControlTraffic() {
    }

    /** Waits until every accepted message was processed, then checks none twice and each channel in order. */
    static void assertEveryAcceptedProcessedOnceInOrder(Map<String, List<Long>> accepted,
            Map<String, List<Long>> processed, Duration wait, DeviceSimulator simulator) throws InterruptedException {
        try {
            awaitUntil(wait, () -> accepted.entrySet().stream()
                    .allMatch(e -> processed.getOrDefault(e.getKey(), List.of()).containsAll(e.getValue())));
        } catch (AssertionError e) {
            throw new AssertionError("not every accepted message was processed: " + simulator.stats().summaryLine()
                    + " accepted=" + sizes(accepted) + " processed=" + sizes(processed), e);
        }
        for (Map.Entry<String, List<Long>> channel : accepted.entrySet()) {
            List<Long> seen = processed.get(channel.getKey());
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) > seen.get(i - 1), "order kept and nothing processed twice on "
                        + channel.getKey() + ": " + seen.get(i - 1) + " then " + seen.get(i));
            }
            assertTrue(seen.containsAll(channel.getValue()), "none lost on " + channel.getKey());
        }
        assertEquals(0, simulator.stats().control().outOfOrder(), simulator.stats()::summaryLine);
    }

    static int total(Map<String, List<Long>> byChannel) {
        return byChannel.values().stream().mapToInt(List::size).sum();
    }

    private static String sizes(Map<String, List<Long>> byChannel) {
        StringBuilder out = new StringBuilder();
        byChannel.forEach((k, v) -> out.append(k).append('=').append(v.size()).append(' '));
        return out.toString();
    }
}
