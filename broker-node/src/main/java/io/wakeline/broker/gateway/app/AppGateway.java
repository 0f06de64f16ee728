package io.wakeline.broker.gateway.app;

import static akka.http.javadsl.server.Directives.concat;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import akka.stream.Materializer;
import io.wakeline.broker.app.AppRegistry;
import io.wakeline.broker.app.events.AppEventsSettings;
import io.wakeline.broker.device.ControlChannelDirectory;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.DeviceInspector;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.gateway.admin.AdminCredential;
import io.wakeline.broker.gateway.admin.AdminRoute;
import io.wakeline.broker.gateway.control.ControlChannelRequestRules;
import io.wakeline.broker.gateway.control.ControlChannelRoute;
import io.wakeline.broker.gateway.events.AppEventStreamRoute;
import io.wakeline.broker.gateway.events.EventLogStream;
import io.wakeline.broker.gateway.events.EventStreamRequestRules;
import io.wakeline.broker.gateway.http.BodyReader;
import io.wakeline.broker.gateway.http.MessageIds;
import io.wakeline.broker.gateway.oauth.BearerAuthentication;
import io.wakeline.broker.gateway.oauth.OAuthTokenRoute;
import io.wakeline.broker.gateway.ratelimit.InFlightLimit;
import io.wakeline.broker.gateway.ratelimit.KeyedRateLimiter;
import io.wakeline.broker.gateway.webpush.MessageResourceRoute;
import io.wakeline.broker.gateway.webpush.MessageResourceSealer;
import io.wakeline.broker.gateway.webpush.ReceiptSubscriptionRoute;
import io.wakeline.broker.gateway.webpush.ReceiptSubscriptionSealer;
import io.wakeline.broker.gateway.webpush.WebPushRequestRules;
import io.wakeline.broker.gateway.webpush.WebPushRoute;
import io.wakeline.broker.gateway.wns.WnsRequestRules;
import io.wakeline.broker.gateway.wns.WnsSendRoute;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS endpoint app servers talk to, one route per concern: the WNS send ({@code /w/…}, gateway.wns), control
 * channels ({@code /cc/…}, gateway.control), Web Push ({@code /wp/…}, gateway.webpush), the OAuth token endpoint
 * ({@code /accesstoken.srf}, gateway.oauth), the admin API ({@code /admin/…}, gateway.admin) and the app event stream
 * ({@code /events}, gateway.events), all built on the edge kit (gateway.http). HTTP/2 is negotiated by ALPN when
 * {@code akka.http.server.enable-http2 = on}, which the node's configuration sets.
 *
 * <p>Typical wiring in the node's main ({@code AppGatewayBinding}):
 * <pre>{@code
 * BrokerKeys keys = BrokerKeys.loadOrCreate(config);
 * AppGatewaySettings settings = AppGatewaySettings.fromConfig(config);
 * TlsMaterial tls = TlsMaterial.loadOrCreate(settings.tls());
 * ShardedDeviceDirectory devices = new ShardedDeviceDirectory(system, settings.deviceAskTimeout());
 * Route route = new AppGateway(system, settings, registry, devices, devices, keys, Clock.systemUTC(),
 *         Optional.of(devices), controlChannelSettings).createRoute();
 * AppGateway.bind(system, settings, route, tls.httpsConnectionContext());
 * }</pre>
 */
public final class AppGateway {
    private static final Logger log = LoggerFactory.getLogger(AppGateway.class);

    private final Route route;

    /** Without the control-channel route, on the system clock: what gateway tests over a fake device side use. */
    public AppGateway(ActorSystem<?> system, AppGatewaySettings settings, AppRegistry registry,
                      DeviceDirectory devices, DeviceInspector inspector, BrokerKeys keys) {
        this(system, settings, registry, devices, inspector, keys, Clock.systemUTC(), Optional.empty(),
                ControlChannelSettings.DEFAULTS);
    }

    /**
     * @param devices  the device side of sends and message resources; its asks carry the hop's one timeout
     *                 ({@code device-ask-timeout}), the routes add none
     * @param control  the device side of control channels; empty: no control-channel route
     */
    public AppGateway(ActorSystem<?> system, AppGatewaySettings settings, AppRegistry registry,
                      DeviceDirectory devices, DeviceInspector inspector, BrokerKeys keys, Clock clock,
                      Optional<ControlChannelDirectory> control, ControlChannelSettings controlSettings) {
        String debugTrace = settings.debugTrace().isBlank() ? debugTraceOf(system.address()) : settings.debugTrace();
        Materializer materializer = Materializer.matFromSystem(system);
        BodyReader bodies = new BodyReader(settings.bodyTimeout(), settings.drainLimit(), materializer);
        BearerAuthentication authentication = new BearerAuthentication(keys.accessTokenSealer());
        InFlightLimit inFlight = new InFlightLimit(settings.limits().maxInFlightSends());
        MessageIds messageIds = new MessageIds();
        AppEventsSettings eventSettings = AppEventsSettings.fromConfig(system.settings().config());

        WnsSendRoute wns = new WnsSendRoute(new WnsRequestRules(keys.channelTokenSealer(), authentication), devices,
                messageIds, debugTrace, bodies, settings.retryAfter(), settings.limits(), inFlight, clock);
        WebPushRoute webPush = webPushRoute(system, settings, keys, devices, clock, bodies, inFlight, messageIds,
                eventSettings);
        OAuthTokenRoute token = new OAuthTokenRoute(registry, keys.accessTokenSealer(), bodies, settings.maxFormBytes(),
                settings.accessTokenTtl(), settings.retryAfter(), clock);
        AdminRoute admin = new AdminRoute(registry, inspector, new AdminCredential(keys.adminToken()), bodies,
                settings.maxFormBytes());
        AppEventStreamRoute events = new AppEventStreamRoute(new EventStreamRequestRules(authentication),
                new EventLogStream(system, eventSettings), clock);
        List<Route> routes = new ArrayList<>(List.of(wns.route()));
        control.ifPresent(directory -> routes.add(new ControlChannelRoute(new ControlChannelRequestRules(
                keys.controlChannelTokenSealer(), authentication, controlSettings), directory, bodies,
                settings.retryAfter(), inFlight, clock, materializer).route()));
        routes.addAll(List.of(webPush.route(), token.route(), admin.route(), events.route()));
        this.route = concat(routes.get(0), routes.subList(1, routes.size()).toArray(Route[]::new));
    }

    private static WebPushRoute webPushRoute(ActorSystem<?> system, AppGatewaySettings settings, BrokerKeys keys,
                                             DeviceDirectory devices, Clock clock, BodyReader bodies,
                                             InFlightLimit inFlight, MessageIds messageIds, AppEventsSettings events) {
        ReceiptSubscriptionSealer receiptSubscriptions = new ReceiptSubscriptionSealer(keys.channelTokenKey());
        MessageResourceSealer messages = new MessageResourceSealer(keys.channelTokenKey());
        WebPushRequestRules rules = new WebPushRequestRules(keys.webPushSubscriptionSealer(), receiptSubscriptions,
                settings.publicBaseUrl(), settings.webPush().maxTtl().toSeconds());
        KeyedRateLimiter senders = KeyedRateLimiter.systemClock(settings.limits().webPushSender(),
                settings.limits().maxTrackedKeys());
        return new WebPushRoute(rules, devices, messageIds, bodies, settings.publicBaseUrl(), settings.retryAfter(),
                settings.webPush(), senders, inFlight, messages, receiptSubscriptions,
                new MessageResourceRoute(devices, messages, settings.webPush(), settings.retryAfter(), clock),
                new ReceiptSubscriptionRoute(receiptSubscriptions, new EventLogStream(system, events), settings.webPush(),
                        clock),
                clock);
    }

    public Route createRoute() {
        return route;
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
