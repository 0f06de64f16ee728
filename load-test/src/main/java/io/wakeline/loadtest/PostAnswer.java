package io.wakeline.loadtest;

import java.net.http.HttpClient;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The part of an HTTP answer the scenarios look at; the body is discarded by every client.
 *
 * @param statusCode the final status
 * @param version    the HTTP version that carried it
 * @param headers    first value of each response header, names in lower case
 */
record PostAnswer(int statusCode, HttpClient.Version version, Map<String, String> headers) {

    PostAnswer {
        headers = Map.copyOf(headers);
    }

    /** The first value of header {@code name}, matched case-insensitively. */
    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
