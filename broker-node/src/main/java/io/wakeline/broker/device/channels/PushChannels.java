package io.wakeline.broker.device.channels;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The push channels and Web Push subscriptions of one device: what a send may target. Immutable; the entity's state
 * holds the three maps (they are its snapshot form) and folds its journaled events in through these methods.
 *
 * <ul>
 *   <li>Every request issues a new channel; older ones stay valid until they expire (wns-spec 4.2, 4.4). Expired
 *       channels of the app are forgotten when it gets a new one.</li>
 *   <li>{@code PushNotificationChannel.Close()} closes the channel and every older one of its app (wns-spec 4.5):
 *       channels share one lifetime, so the older ones are those that expire no later. A closed channel is
 *       remembered until it would have expired, so a send to it is answered "gone" rather than "unknown".</li>
 *   <li>Subscriptions (RFC 8030 §4) live until they expire or the device app drops them.</li>
 * </ul>
 *
 * @param open          appId → (channelId → expiresAtMillis)
 * @param closed        appId → (channelId → when it would have expired)
 * @param subscriptions subscriptionId → its app and expiry
 */
public record PushChannels(Map<String, Map<String, Long>> open, Map<String, Map<String, Long>> closed,
                           Map<String, WebPushSubscription> subscriptions) {

    /** What a send finds at its target. */
    public enum Target {
        /** Issued and not closed: the push goes on. */
        Open,
        /** Closed by the device app (wns-spec 4.5): answered "gone". */
        Closed,
        /** Never issued here, or forgotten: answered "unknown". */
        Unknown
    }

    public Target channel(String appId, String channelId) {
        if (closed.getOrDefault(appId, Map.of()).containsKey(channelId)) {
            return Target.Closed;
        }
        return open.getOrDefault(appId, Map.of()).containsKey(channelId) ? Target.Open : Target.Unknown;
    }

    public Target subscription(String subscriptionId) {
        return subscriptions.containsKey(subscriptionId) ? Target.Open : Target.Unknown;
    }

    public int channelCount() {
        return open.values().stream().mapToInt(Map::size).sum();
    }

    /** A channel was issued; the app's expired channels are forgotten. */
    public PushChannels issued(String appId, String channelId, long issuedAtMillis, long expiresAtMillis) {
        Map<String, Long> channels = new HashMap<>(open.getOrDefault(appId, Map.of()));
        channels.values().removeIf(expiresAt -> expiresAt <= issuedAtMillis);
        channels.put(channelId, expiresAtMillis);
        return new PushChannels(with(open, appId, channels), closed, subscriptions);
    }

    /**
     * What closing {@code channelId} closes (wns-spec 4.5): it and every older live channel of the app, sorted; empty
     * when the channel is unknown, expired or closed already.
     */
    public List<String> closing(String appId, String channelId, long nowMillis) {
        Map<String, Long> channels = open.getOrDefault(appId, Map.of());
        Long closedExpiry = channels.get(channelId);
        if (closedExpiry == null || closedExpiry <= nowMillis) {
            return List.of();
        }
        return channels.entrySet().stream()
                .filter(e -> e.getValue() <= closedExpiry && e.getValue() > nowMillis)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** These channels were closed; closed ones past their expiry are forgotten. */
    public PushChannels closed(String appId, List<String> channelIds, long closedAtMillis) {
        Map<String, Long> stillOpen = new HashMap<>(open.getOrDefault(appId, Map.of()));
        Map<String, Long> nowClosed = new HashMap<>(closed.getOrDefault(appId, Map.of()));
        nowClosed.values().removeIf(expiresAt -> expiresAt <= closedAtMillis);
        for (String channelId : channelIds) {
            Long expiresAt = stillOpen.remove(channelId);
            if (expiresAt != null) {
                nowClosed.put(channelId, expiresAt);
            }
        }
        return new PushChannels(with(open, appId, stillOpen), with(closed, appId, nowClosed), subscriptions);
    }

    /** A subscription was issued; expired ones are forgotten. */
    public PushChannels subscribed(String appId, String subscriptionId, long issuedAtMillis, long expiresAtMillis) {
        Map<String, WebPushSubscription> all = new HashMap<>(subscriptions);
        all.values().removeIf(s -> s.expiresAtMillis() <= issuedAtMillis);
        all.put(subscriptionId, new WebPushSubscription(appId, expiresAtMillis));
        return new PushChannels(open, closed, Map.copyOf(all));
    }

    /** The device app dropped the subscription; expired ones are forgotten. */
    public PushChannels unsubscribed(String subscriptionId, long removedAtMillis) {
        Map<String, WebPushSubscription> all = new HashMap<>(subscriptions);
        all.remove(subscriptionId);
        all.values().removeIf(s -> s.expiresAtMillis() <= removedAtMillis);
        return new PushChannels(open, closed, Map.copyOf(all));
    }

    private static Map<String, Map<String, Long>> with(Map<String, Map<String, Long>> byApp, String appId,
                                                       Map<String, Long> channels) {
        Map<String, Map<String, Long>> apps = new HashMap<>(byApp);
        apps.put(appId, Map.copyOf(channels));
        return Map.copyOf(apps);
    }
}
