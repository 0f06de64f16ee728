package io.wakeline.broker.management;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Readiness check: the node's device and app gateways are bound and it is not draining. Registered as
 * {@code akka.management.health-checks.readiness-checks.gateways-bound} (management.conf); Akka
 * Management creates it reflectively with the classic actor system (akka-stack.md §7.2).
 */
public final class GatewaysBoundCheck implements Supplier<CompletionStage<Boolean>> {
    private final NodeGateways gateways;

    public GatewaysBoundCheck(ActorSystem system) {
        this.gateways = NodeGateways.get(Adapter.toTyped(system));
    }

    @Override
    public CompletionStage<Boolean> get() {
        return CompletableFuture.completedFuture(gateways.ready());
    }
}
