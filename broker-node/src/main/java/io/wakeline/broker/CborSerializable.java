package io.wakeline.broker;

/**
 * Marker for every message, event and snapshot that crosses an actor boundary or reaches the journal.
 * Bound to Jackson CBOR in {@code serialization.conf}.
 */
public interface CborSerializable {
}
