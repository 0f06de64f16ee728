package io.wakeline.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wakeline.broker.gateway.device.DeviceGateway;
import io.wakeline.broker.gateway.device.DeviceGatewayMetrics;
import io.wakeline.protocol.v1.ErrorCode;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

/**
 * Exports the device gateway's own counters ({@link DeviceGatewayMetrics}, updated on the links' event loops)
 * without adding work on those loops: the registry reads them when scraped. The names are the ones the
 * hand-written exposition used before Micrometer, so existing dashboards and alerts keep working.
 */
public final class DeviceGatewayMeters {
    private DeviceGatewayMeters() {
    }

    /** {@code ready}: both gateways bound and the node not draining ({@code wakeline_node_ready}). */
    public static void bind(MeterRegistry registry, DeviceGateway gateway, BooleanSupplier ready) {
        Gauge.builder("wakeline.node.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 when both gateways are bound and the node is not draining")
                .strongReference(true) // the supplier is a lambda nothing else holds
                .register(registry);
        Gauge.builder("wakeline.device.links.attached", gateway, DeviceGateway::attachedLinks)
                .description("Authenticated device links attached to this node")
                .register(registry);
        DeviceGatewayMetrics metrics = gateway.metrics();
        counter(registry, metrics, "wakeline.device.links.opened", "Device TCP connections accepted",
                DeviceGatewayMetrics::linksOpened);
        counter(registry, metrics, "wakeline.device.links.closed", "Device TCP connections closed",
                DeviceGatewayMetrics::linksClosed);
        counter(registry, metrics, "wakeline.device.handshakes.completed",
                "Device links that completed authentication and attached (attaches)", DeviceGatewayMetrics::handshakesCompleted);
        counter(registry, metrics, "wakeline.device.authentication.failures", "Device links refused at authentication",
                DeviceGatewayMetrics::authenticationFailures);
        counter(registry, metrics, "wakeline.device.malformed.frames", "Frames from devices that could not be decoded",
                DeviceGatewayMetrics::malformedFrames);
        counter(registry, metrics, "wakeline.device.notifications.written", "Notifications written to device links",
                DeviceGatewayMetrics::notificationsWritten);
        counter(registry, metrics, "wakeline.device.notifications.dropped.slow.link",
                "Best-effort notifications dropped because a link's write buffer was full",
                DeviceGatewayMetrics::notificationsDroppedSlowLink);
        counter(registry, metrics, "wakeline.device.acks.received", "Acks received from devices",
                DeviceGatewayMetrics::acksReceived);
        counter(registry, metrics, "wakeline.device.links.replaced", "Links closed because the device connected again",
                DeviceGatewayMetrics::linksReplaced);
        counter(registry, metrics, "wakeline.device.entities.reattached",
                "Live links attached again to their device entity after it stopped (its node died or its shard moved)",
                DeviceGatewayMetrics::entitiesReattached);
        for (ErrorCode code : ErrorCode.values()) {
            if (code == ErrorCode.UNRECOGNIZED || code == ErrorCode.ERROR_CODE_UNSPECIFIED) {
                continue;
            }
            FunctionCounter.builder("wakeline.device.handshake.failures", metrics, m -> m.handshakeFailures(code))
                    .description("Device links closed before their handshake completed, by the error code sent")
                    .tag("reason", code.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    private static void counter(MeterRegistry registry, DeviceGatewayMetrics metrics, String name, String description,
                                ToLongFunction<DeviceGatewayMetrics> value) {
        FunctionCounter.builder(name, metrics, m -> value.applyAsLong(m)).description(description).register(registry);
    }
}
