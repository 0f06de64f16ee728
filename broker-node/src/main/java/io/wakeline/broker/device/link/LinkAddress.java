package io.wakeline.broker.device.link;

import akka.actor.typed.ActorRef;
import io.wakeline.broker.CborSerializable;

/**
 * Where a device's live link can be reached from anywhere in the cluster: an actor of the node holding the TCP
 * connection (the device gateway's link registry) and the link's id on that node. The entity keeps and compares
 * addresses; only the device gateway sends to the actor ({@link DeviceLinks}), so its protocol stays there.
 *
 * <p>Travels inside {@code Attach} and {@code Detach}: its fields are its wire form (docs/architecture.md).
 */
public record LinkAddress(ActorRef<?> registry, long linkId) implements CborSerializable {
}
