package io.wakeline.broker.gateway.http;

import java.util.function.Function;

/**
 * The URIs of one kind of resource named by a sealed token: {@code <public-base-url>/<segment>/<sealed token>}. The
 * device side hands them out; the route under {@code segment} opens the same token without a lookup. Sealed tokens
 * are base64url, so they need no percent-encoding in a path segment.
 */
public class SealedUris<T> {
    private final String prefix;
    private final Function<T, String> seal;

    protected SealedUris(String publicBaseUrl, String segment, Function<T, String> seal) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        this.prefix = base + "/" + segment + "/";
        this.seal = seal;
    }

    public final String uriFor(T token) {
        return prefix + seal.apply(token);
    }
}
