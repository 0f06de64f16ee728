package io.wakeline.broker.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.wakeline.broker.app.events.AppEventPublisher;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.gateway.device.DeviceGateway;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the node measures beyond the JVM: started once by the node's wiring, which hands each part the piece it
 * wraps (the app event publisher, the app gateway's route, the device gateway). Also what the web console
 * reads on this node: the receipt ledger and the shard counts.
 */
public final class NodeTelemetry {
    private final MeterRegistry registry;
    private final ReceiptLedger ledger;
    private final Map<String, ShardCounts> shardCounts;
    private final HttpMeters http;

    private NodeTelemetry(MeterRegistry registry, ReceiptLedger ledger, Map<String, ShardCounts> shardCounts) {
        this.registry = registry;
        this.ledger = ledger;
        this.shardCounts = shardCounts;
        this.http = new HttpMeters(registry);
    }

    /** {@code entityTypes}: the sharded types to count; {@code deviceType}: the one whose shards own backlogs. */
    public static NodeTelemetry start(ActorSystem<?> system, Config config, List<EntityTypeKey<?>> entityTypes,
                                      EntityTypeKey<?> deviceType) {
        MeterRegistry registry = NodeMetrics.get(system).registry();
        ReceiptLedger ledger = NodeMetrics.get(system).receipts();
        Map<String, ShardCounts> counts = ClusterMeters.newCounts();
        system.systemActorOf(ClusterMeters.create(registry, entityTypes, deviceType, ledger,
                config.getDuration("wakeline.metrics.sharding-poll-interval"), counts), "cluster-meters", Props.empty());
        return new NodeTelemetry(registry, ledger, counts);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public ReceiptLedger ledger() {
        return ledger;
    }

    /** Shards and entities per entity type on this node, by type name. */
    public Map<String, ShardCounts> shardCounts() {
        return shardCounts;
    }

    /** The publisher the device entities get: {@code publisher} with every receipt measured on the way. */
    public AppEventPublisher measure(AppEventPublisher publisher) {
        return new MeasuredAppEventPublisher(publisher, ledger, registry);
    }

    /** The app gateways' device side: {@code devices} with each push's outcome at the entity counted. */
    public DeviceDirectory measure(DeviceDirectory devices) {
        return new MeasuredDeviceDirectory(devices, registry);
    }

    public HttpMeters http() {
        return http;
    }

    /** Exports the device gateway's counters and links, and the node's readiness. */
    public void bind(DeviceGateway gateway, BooleanSupplier ready) {
        DeviceGatewayMeters.bind(registry, gateway, ready);
    }
}
