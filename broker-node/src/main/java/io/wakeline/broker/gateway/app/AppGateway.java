package io.wakeline.broker.gateway.app;

import static akka.http.javadsl.server.Directives.concat;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import io.wakeline.broker.app.AppRegistry;
import io.wakeline.broker.app.events.AppEventsSettings;
import io.wakeline.broker.device.ControlChannelDirectory;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.device.DeviceInspector;
import io.wakeline.broker.gateway.events.AppEventStreamRoute;
import io.wakeline.broker.gateway.ratelimit.InFlightLimit;
import io.wakeline.broker.gateway.webpush.MessageResourceSealer;
import io.wakeline.broker.gateway.webpush.ReceiptSubscriptionSealer;
import io.wakeline.broker.gateway.webpush.WebPushRequestRules;
import io.wakeline.broker.gateway.webpush.WebPushRoute;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS endpoint app servers talk to: the WNS send route ({@code /w/…}), the Web Push endpoint
 * ({@code /wp/…}), the OAuth token endpoint ({@code /accesstoken.srf}), the app event stream ({@code /events})
 * and the admin API ({@code /admin/apps}). HTTP/2 is negotiated by ALPN when
 * {@code akka.http.server.enable-http2 = on}, which the node's configuration sets.
 *
 * <p>Typical wiring in the node's main:
 * <pre>{@code
 * BrokerKeys keys = BrokerKeys.loadOrCreate(config);
 * AppGatewaySettings settings = AppGatewaySettings.fromConfig(config);
 * TlsMaterial tls = TlsMaterial.loadOrCreate(settings.tls());
 * AppRegistry registry = AppRegistry.create(system);
 * registry.registerConfiguredApps(config);
 * Route route = new AppGateway(system, settings, registry, deviceDirectory, deviceInspector, keys).createRoute();
 * AppGateway.bind(system, settings, route, tls.httpsConnectionContext());
 * }</pre>
 */
public final class AppGateway {
    private static final Logger log = LoggerFactory.getLogger(AppGateway.class);

    private final WnsSendRoute sendRoute;
    private final WebPushRoute webPushRoute;
    private final OAuthTokenRoute tokenRoute;
    private final AdminRoute adminRoute;
    private final AppEventStreamRoute eventStreamRoute;
    private final ControlChannelRoute controlRoute;

    public AppGateway(ActorSystem<?> system, AppGatewaySettings settings, AppRegistry registry,
                      DeviceDirectory devices, DeviceInspector inspector, BrokerKeys keys) {
        this(system, settings, registry, devices, inspector, keys, Clock.systemUTC());
    }

    /** With the control-channel route when {@code devices} also serves control channels (default limits). */
    public AppGateway(ActorSystem<?> system, AppGatewaySettings settings, AppRegistry registry,
                      DeviceDirectory devices, DeviceInspector inspector, BrokerKeys keys, Clock clock) {
        this(system, settings, registry, devices, inspector, keys, clock,
                devices instanceof ControlChannelDirectory control ? control : null, ControlChannelSettings.DEFAULTS);
    }

    /** {@code control} null: no control-channel route. */
    public AppGateway(ActorSystem<?> system, AppGatewaySettings settings, AppRegistry registry,
                      DeviceDirectory devices, DeviceInspector inspector, BrokerKeys keys, Clock clock,
                      ControlChannelDirectory control, ControlChannelSettings controlSettings) {
        String debugTrace = settings.debugTrace().isBlank() ? debugTraceOf(system.address()) : settings.debugTrace();
        WnsRequestRules rules = new WnsRequestRules(keys.channelTokenSealer(), keys.accessTokenSealer());
        InFlightLimit inFlight = new InFlightLimit(settings.limits().maxInFlightSends());
        MessageIds messageIds = new MessageIds();
        this.sendRoute = new WnsSendRoute(system, rules, devices, messageIds, debugTrace, settings, clock, inFlight);
        ReceiptSubscriptionSealer receiptSubscriptions = new ReceiptSubscriptionSealer(keys.channelTokenKey());
        WebPushRequestRules webPushRules = new WebPushRequestRules(keys.webPushSubscriptionSealer(), receiptSubscriptions,
                settings.publicBaseUrl(), settings.webPush().maxTtl().toSeconds());
        AppEventsSettings eventSettings = AppEventsSettings.fromConfig(system.settings().config());
        this.webPushRoute = new WebPushRoute(system, webPushRules, devices, messageIds, settings, clock, inFlight,
                new MessageResourceSealer(keys.channelTokenKey()), receiptSubscriptions, eventSettings);
        this.tokenRoute = new OAuthTokenRoute(system, registry, keys.accessTokenSealer(), settings, clock);
        this.adminRoute = new AdminRoute(system, registry, inspector, new AdminCredential(keys.adminToken()), settings);
        this.eventStreamRoute = new AppEventStreamRoute(system, eventSettings, keys.accessTokenSealer(), clock);
        this.controlRoute = control == null ? null : new ControlChannelRoute(system, new ControlChannelRequestRules(
                keys.controlChannelTokenSealer(), keys.accessTokenSealer(), controlSettings), control, settings, clock, inFlight);
    }

    public Route createRoute() {
        if (controlRoute == null) {
            return concat(sendRoute.route(), webPushRoute.route(), tokenRoute.route(), adminRoute.route(),
                    eventStreamRoute.route());
        }
        return concat(sendRoute.route(), controlRoute.route(), webPushRoute.route(), tokenRoute.route(), adminRoute.route(),
                eventStreamRoute.route());
    }

    /** Binds {@code route} over HTTPS on the configured host and port. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, AppGatewaySettings settings, Route route,
                                                      HttpsConnectionContext https) {
        return Http.get(system)
                .newServerAt(settings.host(), settings.port())
                .enableHttps(https)
                .bind(route)
                .whenComplete((binding, failure) -> {
                    if (failure != null) {
                        log.error("App gateway failed to bind host={} port={}", settings.host(), settings.port(), failure);
                    } else {
                        log.info("App gateway listening address={} publicBaseUrl={}", binding.localAddress(),
                                settings.publicBaseUrl());
                    }
                });
    }

    /** Names this node in {@code X-WNS-Debug-Trace}, like WNS's {@code DB3WNS4011534}. */
    static String debugTraceOf(Address address) {
        return "WL-" + address.getHost().orElse("local") + "-" + address.getPort().map(String::valueOf).orElse("0");
    }
}
