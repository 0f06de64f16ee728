package io.wakeline.broker.metrics;

/** Shards and running entities of one entity type on this node, as its shard region last answered. */
public record ShardCounts(String entityType, int shards, int entities) {
}
