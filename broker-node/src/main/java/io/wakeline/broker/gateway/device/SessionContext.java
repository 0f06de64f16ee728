package io.wakeline.broker.gateway.device;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.wakeline.broker.app.AppDirectory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/** What every link's session shares, so each {@link DeviceSession} holds only its own few fields. */
record SessionContext(
        DeviceGatewaySettings settings,
        byte[] fleetSecret,
        AppDirectory apps,
        ClusterSharding sharding,
        Duration askTimeout,
        LinkTable links,
        List<ActorRef<LinkRegistry.Command>> registries,
        DeviceGatewayMetrics metrics,
        SecureRandom random) {

    ActorRef<LinkRegistry.Command> registryFor(long linkId) {
        return registries.get((int) (linkId % registries.size()));
    }
}
