package io.wakeline.broker.management;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import io.wakeline.broker.gateway.device.DeviceGateway;
import io.wakeline.broker.gateway.device.DeviceGatewayMetrics;

/**
 * {@code GET /metrics} on the management port: the device gateway's counters in Prometheus text format
 * (Prometheus reads plain {@code text/plain} as format 0.0.4). Registered as
 * {@code akka.management.http.routes.metrics} (management.conf); the pods' prometheus.io annotations
 * point at it.
 */
public final class MetricsRoute implements ManagementRouteProvider {
    private final NodeGateways gateways;

    public MetricsRoute(ExtendedActorSystem system) {
        this.gateways = NodeGateways.get(Adapter.toTyped(system));
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        return path("metrics", () -> get(() -> complete(HttpResponse.create()
                .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, exposition(gateways))))));
    }

    static String exposition(NodeGateways gateways) {
        PrometheusText text = new PrometheusText()
                .gauge("wakeline_node_ready", "1 when both gateways are bound and the node is not draining",
                        gateways.ready() ? 1 : 0);
        if (gateways.deviceGateway().isEmpty()) {
            return text.render();
        }
        DeviceGateway gateway = gateways.deviceGateway().get();
        DeviceGatewayMetrics metrics = gateway.metrics();
        return text
                .gauge("wakeline_device_links_attached", "Authenticated device links attached to this node",
                        gateway.attachedLinks())
                .counter("wakeline_device_links_opened_total", "Device TCP connections accepted", metrics.linksOpened())
                .counter("wakeline_device_links_closed_total", "Device TCP connections closed", metrics.linksClosed())
                .counter("wakeline_device_handshakes_completed_total", "Device links that completed authentication",
                        metrics.handshakesCompleted())
                .counter("wakeline_device_authentication_failures_total", "Device links refused at authentication",
                        metrics.authenticationFailures())
                .counter("wakeline_device_malformed_frames_total", "Frames from devices that could not be decoded",
                        metrics.malformedFrames())
                .counter("wakeline_device_notifications_written_total", "Notifications written to device links",
                        metrics.notificationsWritten())
                .counter("wakeline_device_notifications_dropped_slow_link_total",
                        "Best-effort notifications dropped because a link's write buffer was full",
                        metrics.notificationsDroppedSlowLink())
                .counter("wakeline_device_acks_received_total", "Acks received from devices", metrics.acksReceived())
                .counter("wakeline_device_links_replaced_total", "Links closed because the device connected again",
                        metrics.linksReplaced())
                .counter("wakeline_device_entities_reattached_total",
                        "Live links attached again to their device entity after it stopped (its node died or its shard moved)",
                        metrics.entitiesReattached())
                .render();
    }
}
