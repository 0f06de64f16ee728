package io.wakeline.broker.gateway.device;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The node's live links by link id; sessions add and remove themselves, registries look them up. */
public final class LinkTable {
    private final ConcurrentHashMap<Long, LinkEndpoint> links = new ConcurrentHashMap<>();
    private final AtomicLong nextLinkId = new AtomicLong(1);

    public long newLinkId() {
        return nextLinkId.getAndIncrement();
    }

    public void put(long linkId, LinkEndpoint endpoint) {
        links.put(linkId, endpoint);
    }

    public void remove(long linkId, LinkEndpoint endpoint) {
        links.remove(linkId, endpoint);
    }

    public LinkEndpoint get(long linkId) {
        return links.get(linkId);
    }

    public int size() {
        return links.size();
    }

    public Collection<LinkEndpoint> all() {
        return links.values();
    }
}
