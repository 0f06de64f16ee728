package io.wakeline.broker.gateway.device;

import akka.actor.typed.ActorRef;
import io.wakeline.broker.CborSerializable;

/**
 * Where a device's live link can be reached from anywhere in the cluster: the link registry actor of
 * the node holding the TCP connection, and the link's id on that node.
 */
public record LinkAddress(ActorRef<LinkRegistry.Command> registry, long linkId) implements CborSerializable {
}
