package io.wakeline.broker.device.push;

/**
 * Whether apps enable the tile notification queue. The client's choice is not visible to WNS, so the broker is
 * told by configuration (wns-spec 4.9, 4.16).
 */
public enum TileQueue {
    /** One tile per app or channel: the latest replaces the one before. */
    Off(1),
    /** Up to five tiles; a tile with the same {@code X-WNS-Tag} replaces the queued one, else the oldest goes. */
    On(5);

    private final int capacity;

    TileQueue(int capacity) {
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }
}
