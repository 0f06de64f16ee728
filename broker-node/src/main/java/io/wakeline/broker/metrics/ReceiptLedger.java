package io.wakeline.broker.metrics;

import io.wakeline.broker.app.events.AppEvent.MessageFate;
import io.wakeline.broker.app.events.AppEvent.MessageReceipt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * What this node has seen of guaranteed messages, told only by the receipts its device entities publish
 * (ACCEPTED, DELIVERED, ACKED, EXPIRED, REJECTED): the latencies of the guaranteed path, the devices with the
 * largest control backlog, where a recent message id belongs, and each app's counts.
 *
 * <p>A message counts as backlog from its ACCEPTED receipt until its ACKED, EXPIRED or REJECTED one. That is
 * sound for the entities this node hosts: an entity publishes each receipt at least once, a re-published one is
 * recognised by its message id, and a final fate without a seen ACCEPTED is ignored. It is blind to what was
 * accepted before a device's shard arrived here (another node saw that), so a shard that leaves is dropped
 * ({@link #retainDevices}) and one that arrives is counted from then on.
 *
 * <p>Every table is bounded: in-flight messages ({@code maxTracked}, oldest forgotten first and counted in
 * {@link #forgotten()}), recent message ids ({@code maxRecent}) and apps ({@code maxApps}; others are summed
 * under {@link #OTHER_APPS}). Thread-safe: entities on many threads publish at once.
 */
public final class ReceiptLedger implements ControlBacklogObserver {
    /** The app row that sums apps beyond {@code maxApps}. */
    public static final String OTHER_APPS = "(other apps)";

    /**
     * Milliseconds between the steps of one message; -1 where a step was not seen here. {@code redelivery}: a
     * delivery of a message delivered before (after a reconnect or a failover).
     */
    public record Timing(long acceptToDeliverMillis, long acceptToAckMillis, long deliverToAckMillis, boolean redelivery) {
        static final Timing NONE = new Timing(-1, -1, -1, false);
        static final Timing REDELIVERY = new Timing(-1, -1, -1, true);
    }

    /** Where a message id belongs and where it stands, as last seen here. */
    public record Location(String messageId, String deviceId, String appId, String channelId, MessageFate fate,
                           long atMillis) {
    }

    /** A device's control messages accepted and not yet acked, expired or rejected, as seen here. */
    public record Backlog(String deviceId, int messages, long oldestAcceptedAtMillis) {
    }

    /** An app's receipts seen here, by fate. */
    public record AppCounts(String appId, long accepted, long delivered, long acked, long expired, long rejected) {
    }

    private record InFlight(String deviceId, long acceptedAtMillis, long deliveredAtMillis) {
        InFlight delivered(long atMillis) {
            return new InFlight(deviceId, acceptedAtMillis, atMillis);
        }
    }

    private final int maxTracked;
    private final int maxRecent;
    private final int maxApps;
    private final LinkedHashMap<String, InFlight> inFlight = new LinkedHashMap<>();
    private final HashMap<String, Integer> backlogByDevice = new HashMap<>();
    private final LinkedHashMap<String, Location> recent;
    private final LinkedHashMap<String, long[]> byApp = new LinkedHashMap<>();
    private long forgotten;

    public ReceiptLedger(int maxTracked, int maxRecent, int maxApps) {
        if (maxTracked < 1 || maxRecent < 1 || maxApps < 1) {
            throw new IllegalArgumentException("ledger bounds must be positive");
        }
        this.maxTracked = maxTracked;
        this.maxRecent = maxRecent;
        this.maxApps = maxApps;
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Location> eldest) {
                return size() > ReceiptLedger.this.maxRecent;
            }
        };
    }

    /** Records one receipt of {@code appId}'s; answers the latencies it completes. */
    public synchronized Timing record(String appId, MessageReceipt receipt) {
        count(appId, receipt.fate());
        recent.put(receipt.messageId(), new Location(receipt.messageId(), receipt.deviceId(), appId, receipt.channelId(),
                receipt.fate(), receipt.atMillis()));
        InFlight tracked = inFlight.get(receipt.messageId());
        if (tracked != null && !tracked.deviceId().equals(receipt.deviceId())) {
            tracked = null; // another device's message with the same id: not this one
        }
        switch (receipt.fate()) {
            case ACCEPTED -> {
                if (tracked == null && !inFlight.containsKey(receipt.messageId())) {
                    track(receipt);
                }
                return Timing.NONE;
            }
            case DELIVERED -> {
                if (tracked == null) {
                    return Timing.NONE; // not accepted here
                }
                if (tracked.deliveredAtMillis() >= 0) {
                    return Timing.REDELIVERY;
                }
                inFlight.put(receipt.messageId(), tracked.delivered(receipt.atMillis()));
                return new Timing(receipt.atMillis() - tracked.acceptedAtMillis(), -1, -1, false);
            }
            default -> {
                if (tracked == null) {
                    return Timing.NONE;
                }
                untrack(receipt.messageId(), tracked);
                if (receipt.fate() != MessageFate.ACKED) {
                    return Timing.NONE;
                }
                long delivered = tracked.deliveredAtMillis();
                return new Timing(-1, receipt.atMillis() - tracked.acceptedAtMillis(),
                        delivered >= 0 ? receipt.atMillis() - delivered : -1, false);
            }
        }
    }

    private void track(MessageReceipt receipt) {
        if (inFlight.size() >= maxTracked) {
            forgetEldest();
        }
        inFlight.put(receipt.messageId(), new InFlight(receipt.deviceId(), receipt.atMillis(), -1));
        backlogByDevice.merge(receipt.deviceId(), 1, Integer::sum);
    }

    private void forgetEldest() {
        Iterator<Map.Entry<String, InFlight>> eldest = inFlight.entrySet().iterator();
        Map.Entry<String, InFlight> entry = eldest.next();
        eldest.remove();
        decrement(entry.getValue().deviceId());
        forgotten++;
    }

    private void untrack(String messageId, InFlight tracked) {
        inFlight.remove(messageId);
        decrement(tracked.deviceId());
    }

    private void decrement(String deviceId) {
        backlogByDevice.computeIfPresent(deviceId, (d, n) -> n <= 1 ? null : n - 1);
    }

    private void count(String appId, MessageFate fate) {
        long[] counts = byApp.get(appId);
        if (counts == null) {
            int apps = byApp.size() - (byApp.containsKey(OTHER_APPS) ? 1 : 0);
            counts = byApp.computeIfAbsent(apps < maxApps ? appId : OTHER_APPS, a -> new long[MessageFate.values().length]);
        }
        counts[fate.ordinal()]++;
    }

    /**
     * The device's entity started holding {@code outstanding}: it replaces what was tracked for the device, so the
     * board also shows messages accepted before the device's shard came to this node. Counts no receipts.
     */
    @Override
    public synchronized void recovered(String deviceId, List<Outstanding> outstanding) {
        retainDevices(device -> !device.equals(deviceId), Long.MAX_VALUE);
        for (Outstanding message : outstanding) {
            if (inFlight.size() >= maxTracked) {
                forgetEldest();
            }
            inFlight.put(message.messageId(), new InFlight(deviceId, message.acceptedAtMillis(),
                    message.deliveredAtMillis() > 0 ? message.deliveredAtMillis() : -1));
            backlogByDevice.merge(deviceId, 1, Integer::sum);
            recent.putIfAbsent(message.messageId(), new Location(message.messageId(), deviceId, message.appId(),
                    message.channelId(), message.deliveredAtMillis() > 0 ? MessageFate.DELIVERED : MessageFate.ACCEPTED,
                    message.acceptedAtMillis()));
        }
    }

    /**
     * Forgets the in-flight messages of devices this node no longer hosts (their shard moved away), among those
     * accepted before {@code askedAtMillis}, when the shard region was asked: a message accepted since may belong
     * to a shard that started after the answer was made.
     */
    public synchronized int retainDevices(Predicate<String> hostedHere, long askedAtMillis) {
        int dropped = 0;
        Iterator<Map.Entry<String, InFlight>> entries = inFlight.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, InFlight> entry = entries.next();
            if (entry.getValue().acceptedAtMillis() < askedAtMillis && !hostedHere.test(entry.getValue().deviceId())) {
                entries.remove();
                decrement(entry.getValue().deviceId());
                dropped++;
            }
        }
        return dropped;
    }

    /** The {@code limit} devices with the most messages in flight, most first. */
    public synchronized List<Backlog> largestBacklogs(int limit) {
        Comparator<Map.Entry<String, Integer>> order = Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()));
        PriorityQueue<Map.Entry<String, Integer>> top = new PriorityQueue<>(order);
        for (Map.Entry<String, Integer> entry : backlogByDevice.entrySet()) {
            top.add(entry);
            if (top.size() > limit) {
                top.poll();
            }
        }
        List<Map.Entry<String, Integer>> largest = new ArrayList<>(top);
        largest.sort(order.reversed());
        Map<String, Long> oldest = new HashMap<>();
        for (Map.Entry<String, Integer> entry : largest) {
            oldest.put(entry.getKey(), Long.MAX_VALUE);
        }
        for (InFlight message : inFlight.values()) {
            oldest.computeIfPresent(message.deviceId(), (d, t) -> Math.min(t, message.acceptedAtMillis()));
        }
        return largest.stream().map(e -> new Backlog(e.getKey(), e.getValue(), oldest.get(e.getKey()))).toList();
    }

    /** Where a message id seen recently belongs. */
    public synchronized Optional<Location> locate(String messageId) {
        return Optional.ofNullable(recent.get(messageId));
    }

    /** Each app's receipts seen here, in the order the apps were first seen. */
    public synchronized List<AppCounts> appCounts() {
        List<AppCounts> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : byApp.entrySet()) {
            long[] c = entry.getValue();
            rows.add(new AppCounts(entry.getKey(), c[MessageFate.ACCEPTED.ordinal()], c[MessageFate.DELIVERED.ordinal()],
                    c[MessageFate.ACKED.ordinal()], c[MessageFate.EXPIRED.ordinal()], c[MessageFate.REJECTED.ordinal()]));
        }
        return rows;
    }

    /** Messages in flight, as tracked here. */
    public synchronized int inFlight() {
        return inFlight.size();
    }

    /** In-flight messages forgotten because the table was full. */
    public synchronized long forgotten() {
        return forgotten;
    }
}
