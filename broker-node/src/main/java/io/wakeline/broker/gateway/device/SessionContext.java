package io.wakeline.broker.gateway.device;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.wakeline.broker.app.AppDirectory;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * What every link's session shares, so each {@link DeviceSession} holds only its own few fields.
 *
 * @param entityAskTimeout bound on each ask to the device's entity ({@code wakeline.device.ask-timeout})
 * @param clock            the time the session stamps on what it tells the entity
 */
record SessionContext(
        DeviceGatewaySettings settings,
        byte[] fleetSecret,
        AppDirectory apps,
        ClusterSharding sharding,
        Duration entityAskTimeout,
        LinkTable links,
        List<ActorRef<LinkRegistry.Command>> registries,
        DeviceGatewayMetrics metrics,
        SecureRandom random,
        InstantSource clock) {

    ActorRef<LinkRegistry.Command> registryFor(long linkId) {
        return registries.get((int) (linkId % registries.size()));
    }
}
