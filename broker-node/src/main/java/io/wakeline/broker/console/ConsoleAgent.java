package io.wakeline.broker.console;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.typed.Cluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.metrics.NodeTelemetry;
import io.wakeline.broker.metrics.ReceiptLedger;
import io.wakeline.broker.metrics.ShardCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * This node's side of the web console: every node runs one, registered with the receptionist, and the console
 * of whichever node an operator opened asks all of them. It answers from what the node measures
 * ({@link NodeTelemetry}): links, shards and entities, live rates (sampled here every
 * {@code wakeline.console.sample-interval}), the receipt ledger's backlog board, message ids and app counts.
 */
public final class ConsoleAgent {
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "wakeline-console-agent");

    public sealed interface Command extends CborSerializable {
    }

    public record GetNodeReport(ActorRef<NodeReport> replyTo) implements Command {
    }

    /** Live rates per second over one sample interval ending at {@code atMillis}. */
    public record RatePoint(long atMillis, double pushes, double controlAccepted, double controlAcked, double attaches)
            implements CborSerializable {
    }

    public record NodeReport(String address, long linksAttached, List<ShardCounts> sharding, long trackedMessages,
                             long forgottenMessages, List<RatePoint> rates) implements CborSerializable {
    }

    public record FindMessage(String messageId, ActorRef<MessageFound> replyTo) implements Command {
    }

    /** {@code location} is null when this node has not seen the id recently. */
    public record MessageFound(String address, ReceiptLedger.Location location) implements CborSerializable {
    }

    public record GetBacklog(int limit, ActorRef<BacklogReport> replyTo) implements Command {
    }

    public record BacklogReport(String address, List<ReceiptLedger.Backlog> devices) implements CborSerializable {
    }

    public record GetAppCounts(ActorRef<AppCountsReport> replyTo) implements Command {
    }

    public record AppCountsReport(String address, List<ReceiptLedger.AppCounts> apps) implements CborSerializable {
    }

    private enum Sample implements Command {
        INSTANCE
    }

    private ConsoleAgent() {
    }

    public static Behavior<Command> create(NodeTelemetry telemetry, ConsoleSettings settings) {
        return Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
            String address = Cluster.get(context.getSystem()).selfMember().address().toString();
            MeterRegistry registry = telemetry.registry();
            RateHistory history = new RateHistory(settings.historySamples());
            return Behaviors.withTimers(timers -> {
                timers.startTimerWithFixedDelay(Sample.INSTANCE, Duration.ZERO, settings.sampleInterval());
                return Behaviors.receive(Command.class)
                        .onMessageEquals(Sample.INSTANCE, () -> {
                            history.sample(System.currentTimeMillis(), pushes(registry), receipts(registry, "accepted"),
                                    receipts(registry, "acked"), functionCounter(registry, "wakeline.device.handshakes.completed"));
                            return Behaviors.same();
                        })
                        .onMessage(GetNodeReport.class, get -> {
                            get.replyTo().tell(new NodeReport(address, (long) gauge(registry, "wakeline.device.links.attached"),
                                    new ArrayList<>(new TreeMap<>(telemetry.shardCounts()).values()),
                                    telemetry.ledger().inFlight(), telemetry.ledger().forgotten(),
                                    history.points().stream().map(p -> new RatePoint(p.atMillis(), p.perSecond()[0],
                                            p.perSecond()[1], p.perSecond()[2], p.perSecond()[3])).toList()));
                            return Behaviors.same();
                        })
                        .onMessage(FindMessage.class, find -> {
                            find.replyTo().tell(new MessageFound(address,
                                    telemetry.ledger().locate(find.messageId()).orElse(null)));
                            return Behaviors.same();
                        })
                        .onMessage(GetBacklog.class, get -> {
                            get.replyTo().tell(new BacklogReport(address, telemetry.ledger().largestBacklogs(get.limit())));
                            return Behaviors.same();
                        })
                        .onMessage(GetAppCounts.class, get -> {
                            get.replyTo().tell(new AppCountsReport(address, telemetry.ledger().appCounts()));
                            return Behaviors.same();
                        })
                        .build();
            });
        });
    }

    private static double pushes(MeterRegistry registry) {
        return registry.find("wakeline.pushes").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double receipts(MeterRegistry registry, String fate) {
        return Optional.ofNullable(registry.find("wakeline.control.receipts").tag("fate", fate).counter())
                .map(Counter::count).orElse(0.0);
    }

    private static double functionCounter(MeterRegistry registry, String name) {
        return Optional.ofNullable(registry.find(name).functionCounter()).map(FunctionCounter::count).orElse(0.0);
    }

    private static double gauge(MeterRegistry registry, String name) {
        return Optional.ofNullable(registry.find(name).gauge()).map(Gauge::value).orElse(0.0);
    }
}
