package io.wakeline.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One device-link listener of the broker: a host name or address literal and a port. A simulator given
 * several spreads its devices over them and moves a device to another one whenever its link fails, as a
 * device given a list of gateway addresses would (docs/protocol.md, "Reconnecting").
 */
public record GatewayAddress(String host, int port) {

    public GatewayAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("gateway host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
    }

    /** {@code host:port}, or {@code [v6-literal]:port}. */
    public static GatewayAddress parse(String text) {
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("a gateway is host:port, got '" + text + "'");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a gateway's port is a number, got '" + text + "'");
        }
        return new GatewayAddress(host, port);
    }

    /** A comma-separated list of {@code host:port}; at least one. */
    public static List<GatewayAddress> parseList(String text) {
        List<GatewayAddress> gateways = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                gateways.add(parse(part));
            }
        }
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("no gateway in '" + text + "'");
        }
        return List.copyOf(gateways);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
