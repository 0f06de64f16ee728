package io.wakeline.broker.management;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.wakeline.broker.gateway.device.DeviceGateway;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What Akka Management reports about this node's gateways: whether both listeners accept connections
 * (the {@link GatewaysBoundCheck} readiness check, and {@code wakeline_node_ready} at {@link MetricsRoute}).
 * The node records its gateways once both are bound; coordinated shutdown's
 * first phase, which drains the device links, makes the node unready at once so that Kubernetes stops
 * routing new connections to it while it hands its shards off.
 */
public final class NodeGateways implements Extension {
    private static final ExtensionId<NodeGateways> ID = new ExtensionId<>() {
        @Override
        public NodeGateways createExtension(ActorSystem<?> system) {
            return new NodeGateways(system);
        }
    };

    private volatile DeviceGateway deviceGateway;
    private volatile boolean draining;

    private NodeGateways(ActorSystem<?> system) {
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "gateways-unready", () -> {
            draining = true;
            return CompletableFuture.completedFuture(Done.getInstance());
        });
    }

    public static NodeGateways get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** Called once the device gateway and the app gateway both accept connections. */
    public void bound(DeviceGateway gateway) {
        this.deviceGateway = gateway;
    }

    /** Both listeners bound and the node not draining. */
    public boolean ready() {
        return deviceGateway != null && !draining;
    }

    public Optional<DeviceGateway> deviceGateway() {
        return Optional.ofNullable(deviceGateway);
    }
}
