package io.wakeline.broker.node;

import static akka.http.javadsl.server.Directives.concat;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.http.javadsl.server.Route;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.typesafe.config.Config;
import io.wakeline.broker.app.AppDirectory;
import io.wakeline.broker.app.AppEntity;
import io.wakeline.broker.app.events.AppEventLog;
import io.wakeline.broker.app.events.AppEventPublisher;
import io.wakeline.broker.console.ConsoleAgent;
import io.wakeline.broker.console.ConsoleRoute;
import io.wakeline.broker.console.ConsoleSettings;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.ShardedDeviceDirectory;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import io.wakeline.broker.device.shell.DeviceEntityShell;
import io.wakeline.broker.device.shell.DeviceServices;
import io.wakeline.broker.gateway.device.DeviceGateway;
import io.wakeline.broker.gateway.device.DeviceGatewaySettings;
import io.wakeline.broker.gateway.device.LinkRegistry;
import io.wakeline.broker.gateway.device.LinkTable;
import io.wakeline.broker.gateway.device.RegistryLinks;
import io.wakeline.broker.management.NodeGateways;
import io.wakeline.broker.metrics.NodeTelemetry;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker JVM = one cluster node running both gateways and hosting device shards (DESIGN.md
 * "Cluster"). {@link #start(Config)} returns once both listeners accept connections.
 */
public final class BrokerNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerNode.class);

    private final ActorSystem<Void> system;
    private final Config config;
    private final DeviceGateway deviceGateway;
    private final AppGatewayBinding appGateway;
    private final AppEventPublisher appEvents;

    private BrokerNode(ActorSystem<Void> system, Config config, DeviceGateway deviceGateway, AppGatewayBinding appGateway,
                       AppEventPublisher appEvents) {
        this.system = system;
        this.config = config;
        this.deviceGateway = deviceGateway;
        this.appGateway = appGateway;
        this.appEvents = appEvents;
    }

    public static BrokerNode start(Config config) throws Exception {
        return start(config, InstantSource.system());
    }

    /**
     * A node whose device entities and device links read the time from {@code clock} (tests drive it; the app-server
     * gateway keeps the wall clock).
     */
    public static BrokerNode start(Config config, InstantSource clock) throws Exception {
        // before the actor system: an unreachable database stops the node before it joins a cluster
        DatabaseSchema.createIfMissing(config);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), config.getString("wakeline.cluster-name"), config);
        try {
            return assemble(system, config, clock);
        } catch (Exception | Error e) {
            system.terminate();
            throw e;
        }
    }

    private static BrokerNode assemble(ActorSystem<Void> system, Config config, InstantSource clock) throws Exception {
        ClusterFormation.start(system, config);

        NodeTelemetry telemetry = NodeTelemetry.start(system, config,
                List.of(DeviceEntity.ENTITY_KEY, AppEntity.ENTITY_KEY, AppEventLog.ENTITY_KEY), DeviceEntity.ENTITY_KEY);
        AppGatewayBinding.Prepared app = AppGatewayBinding.prepare(system, config);
        DeviceEntitySettings entitySettings = DeviceEntitySettings.fromConfig(config);
        // every receipt the entities publish is measured on its way to the app's event log
        AppEventPublisher appEvents = telemetry.measure(app.appEvents());
        DeviceEntityShell.init(system, entitySettings,
                new DeviceServices(app.pushEndpoints(), appEvents, new RegistryLinks(), clock));

        DeviceGatewaySettings deviceSettings = DeviceGatewaySettings.fromConfig(config);
        LinkTable links = new LinkTable();
        List<ActorRef<LinkRegistry.Command>> registries = new ArrayList<>();
        for (int i = 0; i < deviceSettings.linkRegistries(); i++) {
            registries.add(system.systemActorOf(LinkRegistry.create(links), "link-registry-" + i, Props.empty()));
        }
        byte[] fleetSecret = FleetSecret.load(config);
        AppDirectory apps = app.appDirectory();
        DeviceGateway deviceGateway = DeviceGateway.bind(deviceSettings, fleetSecret, apps,
                ClusterSharding.get(system), entitySettings.askTimeout(), links, registries, clock);
        ConsoleSettings consoleSettings = ConsoleSettings.fromConfig(config);
        system.systemActorOf(ConsoleAgent.create(telemetry, consoleSettings), "console-agent", Props.empty());
        ShardedDeviceDirectory consoleDevices = new ShardedDeviceDirectory(system, entitySettings.askTimeout());
        Route console = new ConsoleRoute(system, consoleSettings, app.keys().adminToken(), consoleDevices, consoleDevices).route();
        AppGatewayBinding appGateway = app.bind(route -> telemetry.http().measure(concat(console, route)), telemetry::measure);
        NodeGateways gateways = NodeGateways.get(system);
        gateways.bound(deviceGateway);
        telemetry.bind(deviceGateway, gateways::ready);

        BrokerNode node = new BrokerNode(system, config, deviceGateway, appGateway, appEvents);
        node.registerShutdownTasks();
        return node;
    }

    private void registerShutdownTasks() {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "drain-device-links", () -> {
            deviceGateway.unbind();
            int drained = deviceGateway.drainLinks();
            log.info("draining: told {} devices to reconnect elsewhere", drained);
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        appGateway.addToCoordinatedShutdown(system);
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-device-gateway", () -> {
            deviceGateway.shutdown();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
    }

    public ActorSystem<Void> system() {
        return system;
    }

    /** Where this node's device entities hand apps their events (receipts, upstream, channel state). */
    public AppEventPublisher appEvents() {
        return appEvents;
    }

    public DeviceGateway deviceGateway() {
        return deviceGateway;
    }

    public int deviceGatewayPort() {
        return deviceGateway.port();
    }

    public String deviceGatewayHost() {
        return config.getString("wakeline.device-gateway.host");
    }

    public int appGatewayPort() {
        return appGateway.port();
    }

    public String appGatewayUrl() {
        return appGateway.baseUrl();
    }

    public Path certificatePem() {
        return appGateway.certificatePem();
    }

    public String fleetSecretSource() {
        return config.getString("wakeline.fleet-secret").isBlank()
                ? FleetSecret.file(config).toString() : "wakeline.fleet-secret";
    }

    /** Runs coordinated shutdown (the same path as SIGTERM) and waits for the actor system to stop. */
    @Override
    public void close() throws Exception {
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
                .toCompletableFuture().get(90, java.util.concurrent.TimeUnit.SECONDS);
        system.getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
