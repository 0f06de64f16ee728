package io.wakeline.broker.gateway.device;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.policy.DeviceNotification;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.RawDelivery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The address device entities send to when they need a link (DESIGN.md "gateway.device"). A node runs a few of
 * these; each looks links up in the node's {@link LinkTable} and drives them directly, so there is no actor per link.
 * Being an actor, it is addressable from an entity on any node: entities reach it through {@link RegistryLinks}, and
 * {@link Deliver}, {@link DeliverWebPush}, {@link Notify} and {@link Replaced} cross nodes in this wire form
 * (docs/architecture.md "Messages between nodes").
 *
 * <p>It also watches the entity each of its links is attached to: an entity that stops while its link lives (its
 * node died, or its shard moved away) restarts elsewhere knowing nothing of the link, so the link is told to
 * attach again ({@link LinkEndpoint#entityStopped()}); otherwise the device would stay connected but unserved.
 */
public final class LinkRegistry extends AbstractBehavior<LinkRegistry.Command> {

    public sealed interface Command extends CborSerializable {
    }

    /** A notification for the device on link {@code linkId}. */
    public record Deliver(
            long linkId,
            String appId,
            String channelId,
            NotificationType type,
            byte[] payload,
            String messageId,
            long sentAtMillis,
            RawDelivery rawDelivery,
            String controlChannelId,
            long sequence) implements Command {

        /** Anything but a control-channel message. */
        public Deliver(long linkId, String appId, String channelId, NotificationType type, byte[] payload,
                       String messageId, long sentAtMillis, RawDelivery rawDelivery) {
            this(linkId, appId, channelId, type, payload, messageId, sentAtMillis, rawDelivery, "", 0);
        }
    }

    /** Something the device's rules decided the device must be told (a system trigger). */
    public record Notify(long linkId, DeviceNotification notification) implements Command {
    }

    /** A Web Push message for the device on link {@code linkId} (RFC 8030 §6). */
    public record DeliverWebPush(
            long linkId,
            String appId,
            String subscriptionId,
            byte[] payload,
            String contentEncoding,
            String messageId,
            long sentAtMillis) implements Command {
    }

    /** The device attached through a newer link; {@code linkId} must go away. */
    public record Replaced(long linkId) implements Command {
    }

    /** Link {@code linkId} is attached to {@code entity}: watch it (replaces what the link watched before). Local. */
    public record WatchEntity(long linkId, ActorRef<DeviceEntity.Command> entity) implements Command {
    }

    /** Link {@code linkId} closed: stop watching its entity for it. Local. */
    public record UnwatchEntity(long linkId) implements Command {
    }

    private final LinkTable links;
    /** Watched entity → the link attached to it. */
    private final Map<ActorRef<?>, Long> linkOfEntity = new HashMap<>();
    /** Watched entity → further links attached to it: a replaced link lingering until it closes (rare). */
    private final Map<ActorRef<?>, Set<Long>> lingeringOfEntity = new HashMap<>();
    private final Map<Long, ActorRef<?>> entityOfLink = new HashMap<>();

    private LinkRegistry(ActorContext<Command> context, LinkTable links) {
        super(context);
        this.links = links;
    }

    public static Behavior<Command> create(LinkTable links) {
        return Behaviors.setup(ctx -> new LinkRegistry(ctx, links));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Deliver.class, this::onDeliver)
                .onMessage(DeliverWebPush.class, this::onDeliverWebPush)
                .onMessage(Replaced.class, this::onReplaced)
                .onMessage(Notify.class, this::onNotify)
                .onMessage(WatchEntity.class, this::onWatchEntity)
                .onMessage(UnwatchEntity.class, this::onUnwatchEntity)
                .onSignal(Terminated.class, this::onEntityTerminated)
                .build();
    }

    private Behavior<Command> onDeliver(Deliver delivery) {
        LinkEndpoint link = links.get(delivery.linkId());
        if (link == null) {
            // the link closed while the notification was on its way; raw push is best effort
            getContext().getLog().debug("link gone before delivery linkId={} msgId={}", delivery.linkId(), delivery.messageId());
        } else {
            link.deliver(delivery);
        }
        return this;
    }

    private Behavior<Command> onNotify(Notify notify) {
        LinkEndpoint link = links.get(notify.linkId());
        if (link != null) {
            link.notify(notify.notification());
        }
        return this;
    }

    private Behavior<Command> onDeliverWebPush(DeliverWebPush delivery) {
        LinkEndpoint link = links.get(delivery.linkId());
        if (link == null) {
            getContext().getLog().debug("link gone before delivery linkId={} msgId={}", delivery.linkId(), delivery.messageId());
        } else {
            link.deliverWebPush(delivery);
        }
        return this;
    }

    private Behavior<Command> onReplaced(Replaced replaced) {
        LinkEndpoint link = links.get(replaced.linkId());
        if (link != null) {
            link.replaced();
        }
        return this;
    }

    // ---- entity watch -----------------------------------------------------------------------------

    private Behavior<Command> onWatchEntity(WatchEntity watch) {
        forget(watch.linkId());
        entityOfLink.put(watch.linkId(), watch.entity());
        if (linkOfEntity.putIfAbsent(watch.entity(), watch.linkId()) == null) {
            getContext().watch(watch.entity());
        } else {
            lingeringOfEntity.computeIfAbsent(watch.entity(), e -> new HashSet<>()).add(watch.linkId());
        }
        return this;
    }

    private Behavior<Command> onUnwatchEntity(UnwatchEntity unwatch) {
        forget(unwatch.linkId());
        return this;
    }

    private void forget(long linkId) {
        ActorRef<?> entity = entityOfLink.remove(linkId);
        if (entity == null) {
            return;
        }
        Set<Long> lingering = lingeringOfEntity.get(entity);
        if (lingering != null && lingering.remove(linkId)) {
            dropIfEmpty(entity, lingering);
        } else if (lingering != null) {
            long next = lingering.iterator().next(); // the link attached first leaves; a lingering one takes its place
            lingering.remove(next);
            dropIfEmpty(entity, lingering);
            linkOfEntity.put(entity, next);
        } else {
            linkOfEntity.remove(entity);
            getContext().unwatch(entity);
        }
    }

    private void dropIfEmpty(ActorRef<?> entity, Set<Long> lingering) {
        if (lingering.isEmpty()) {
            lingeringOfEntity.remove(entity);
        }
    }

    private Behavior<Command> onEntityTerminated(Terminated terminated) {
        List<Long> ids = new ArrayList<>();
        Long first = linkOfEntity.remove(terminated.getRef());
        if (first != null) {
            ids.add(first);
        }
        ids.addAll(lingeringOfEntity.getOrDefault(terminated.getRef(), Set.of()));
        lingeringOfEntity.remove(terminated.getRef());
        for (long linkId : ids) {
            entityOfLink.remove(linkId);
            LinkEndpoint link = links.get(linkId);
            if (link != null) {
                getContext().getLog().debug("entity of linkId={} stopped: attaching again", linkId);
                link.entityStopped();
            }
        }
        return this;
    }
}
