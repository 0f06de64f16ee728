package io.wakeline.broker.device.control;

import io.wakeline.broker.device.policy.ControlChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the device app is alive on each control channel: a channel with no keep-alive, ack or upstream frame within
 * its server keep-alive interval (its minutes, each lasting {@code keep-alive-unit}) is stale, and reported once, until
 * the device app is heard on it again. Per entity, in memory, one thread; a new link counts as hearing every channel.
 */
public final class ChannelLiveness {
    private final long unitMillis;
    /** By outbox key: last frame heard from the device app on the channel. */
    private final Map<String, Long> lastHeard = new HashMap<>();
    private final Set<String> stale = new HashSet<>();

    public ChannelLiveness(Duration keepAliveUnit) {
        this.unitMillis = keepAliveUnit.toMillis();
    }

    /** Traffic from the device app on the channel; true when the channel was stale (it is active again). */
    public boolean heard(String appId, String channelId, long nowMillis) {
        String key = ControlOutbox.key(appId, channelId);
        lastHeard.put(key, nowMillis);
        return stale.remove(key);
    }

    /** A link came up: every channel counts as heard now. */
    public void linkUp(List<ControlChannel> channels, long nowMillis) {
        channels.forEach(c -> lastHeard.put(ControlOutbox.key(c.appId(), c.channelId()), nowMillis));
    }

    /** The channels that went stale by now and were not reported yet (a channel never heard of counts from now). */
    public List<ControlChannel> newlyStale(List<ControlChannel> channels, long nowMillis) {
        List<ControlChannel> newly = new ArrayList<>();
        for (ControlChannel channel : channels) {
            String key = ControlOutbox.key(channel.appId(), channel.channelId());
            long last = lastHeard.computeIfAbsent(key, k -> nowMillis);
            if (nowMillis - last > keepAliveMillis(channel) && stale.add(key)) {
                newly.add(channel);
            }
        }
        return newly;
    }

    /** When the next channel that is not stale yet goes stale. */
    public Optional<Long> nextDeadline(List<ControlChannel> channels, long nowMillis) {
        long next = Long.MAX_VALUE;
        for (ControlChannel channel : channels) {
            String key = ControlOutbox.key(channel.appId(), channel.channelId());
            if (!stale.contains(key)) {
                next = Math.min(next, lastHeard.getOrDefault(key, nowMillis) + keepAliveMillis(channel) + 1);
            }
        }
        return next == Long.MAX_VALUE ? Optional.empty() : Optional.of(next);
    }

    /** The channel was reset or closed: it is not stale any more (a channel created again starts afresh). */
    public void forget(String appId, String channelId) {
        stale.remove(ControlOutbox.key(appId, channelId));
    }

    private long keepAliveMillis(ControlChannel channel) {
        return unitMillis * channel.serverKeepAliveIntervalInMinutes();
    }
}
