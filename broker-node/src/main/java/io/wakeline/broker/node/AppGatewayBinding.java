package io.wakeline.broker.node;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import com.typesafe.config.Config;
import io.wakeline.broker.app.AppDirectory;
import io.wakeline.broker.app.AppRegistry;
import io.wakeline.broker.app.AppRegistrySettings;
import io.wakeline.broker.app.ShardedAppDirectory;
import io.wakeline.broker.app.events.AppEventLog;
import io.wakeline.broker.app.events.AppEventPublisher;
import io.wakeline.broker.app.events.AppEventsSettings;
import io.wakeline.broker.app.events.ShardedAppEventPublisher;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.PushEndpoints;
import io.wakeline.broker.device.ShardedDeviceDirectory;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import io.wakeline.broker.gateway.app.AppGateway;
import io.wakeline.broker.gateway.app.AppGatewaySettings;
import io.wakeline.broker.gateway.app.BrokerKeys;
import io.wakeline.broker.gateway.app.TlsMaterial;
import io.wakeline.broker.gateway.control.ControlChannelUris;
import io.wakeline.broker.gateway.webpush.WebPushEndpoints;
import io.wakeline.broker.gateway.wns.ChannelUris;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** The node's app-server gateway: keys, TLS material, app registry, app event logs and the HTTPS binding. */
final class AppGatewayBinding {
    private final ServerBinding binding;
    private final AppGatewaySettings settings;
    private final TlsMaterial tls;

    private AppGatewayBinding(ServerBinding binding, AppGatewaySettings settings, TlsMaterial tls) {
        this.binding = binding;
        this.settings = settings;
        this.tls = tls;
    }

    /** Everything the device side needs before the HTTPS listener is bound. */
    record Prepared(ActorSystem<?> system, Config config, AppGatewaySettings settings, BrokerKeys keys,
                    TlsMaterial tls, AppRegistry registry, AppDirectory appDirectory, ChannelUris uris,
                    AppEventPublisher appEvents) {

        Function<ChannelToken, String> channelUris() {
            return uris::uriFor;
        }

        /** Channel URIs and Web Push endpoints, both under the public base URL. */
        PushEndpoints pushEndpoints() {
            WebPushEndpoints webPush = new WebPushEndpoints(settings.publicBaseUrl(), keys.webPushSubscriptionSealer());
            ControlChannelUris controlUris = new ControlChannelUris(settings.publicBaseUrl(), keys.controlChannelTokenSealer());
            return new PushEndpoints() {
                @Override
                public String channelUri(ChannelToken token) {
                    return uris.uriFor(token);
                }

                @Override
                public String webPushEndpoint(WebPushSubscriptionToken token) {
                    return webPush.uriFor(token);
                }

                @Override
                public String controlChannelUri(ControlChannelToken token) {
                    return controlUris.uriFor(token);
                }
            };
        }

        /**
         * {@code edge} wraps the gateway's whole route (metrics, the console) before it is bound; {@code pushes}
         * wraps the device side the routes push through (metrics).
         */
        AppGatewayBinding bind(UnaryOperator<Route> edge, UnaryOperator<DeviceDirectory> pushes) throws Exception {
            DeviceEntitySettings deviceSettings = DeviceEntitySettings.fromConfig(config);
            // the app gateway's one timeout on its hop to the device entities: the ask itself, no second bound around it
            ShardedDeviceDirectory devices = new ShardedDeviceDirectory(system, settings.deviceAskTimeout());
            AppGateway gateway = new AppGateway(system, settings, registry, pushes.apply(devices), devices, keys,
                    Clock.systemUTC(), Optional.of(devices), deviceSettings.controlChannels());
            ServerBinding binding = AppGateway.bind(system, settings, edge.apply(gateway.createRoute()),
                            tls.httpsConnectionContext())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new AppGatewayBinding(binding, settings, tls);
        }
    }

    static Prepared prepare(ActorSystem<?> system, Config config) throws Exception {
        AppGatewaySettings settings = AppGatewaySettings.fromConfig(config);
        BrokerKeys keys = BrokerKeys.loadOrCreate(config);
        TlsMaterial tls = TlsMaterial.loadOrCreate(settings.tls());
        AppRegistrySettings registrySettings = AppRegistrySettings.fromConfig(config);
        AppRegistry registry = new AppRegistry(system, registrySettings);
        registry.registerConfiguredApps(config).toCompletableFuture().get(60, TimeUnit.SECONDS);
        AppDirectory apps = new ShardedAppDirectory(system, registrySettings.askTimeout());
        AppEventsSettings eventSettings = AppEventsSettings.fromConfig(config);
        AppEventLog.init(system, eventSettings);
        AppEventPublisher appEvents = new ShardedAppEventPublisher(system, eventSettings);
        return new Prepared(system, config, settings, keys, tls, registry, apps,
                new ChannelUris(settings.publicBaseUrl(), keys.channelTokenSealer()), appEvents);
    }

    int port() {
        return ((InetSocketAddress) binding.localAddress()).getPort();
    }

    String baseUrl() {
        return settings.publicBaseUrl();
    }

    Path certificatePem() {
        return tls.certificatePemFile();
    }

    /** Unbinds in service-unbind and lets in-flight requests finish in service-requests-done (akka-stack 6.3). */
    void addToCoordinatedShutdown(ActorSystem<?> system) {
        binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
    }
}
