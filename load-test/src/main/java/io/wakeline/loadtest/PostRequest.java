package io.wakeline.loadtest;

import java.net.URI;
import java.util.Map;

/**
 * One {@code POST} a scenario sends, independent of the client that carries it.
 *
 * @param uri     absolute {@code https} URI
 * @param headers request headers in sending order (names as the scenario spells them)
 * @param body    the request body, sent as is
 */
record PostRequest(URI uri, Map<String, String> headers, byte[] body) {
}
