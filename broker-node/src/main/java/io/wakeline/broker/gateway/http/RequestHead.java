package io.wakeline.broker.gateway.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an endpoint's rules see of a request before its body is read. Plain Java: {@link HeadReader} builds it from
 * an Akka HTTP request, tests build it directly, and every {@code *RequestRules} class decides on it.
 *
 * @param method        the request method, upper case ({@code POST})
 * @param headers       the headers the endpoint reads, by lower-case name, every occurrence in order
 * @param contentType   the body's media type ({@code type/subtype}, no parameters), when the request declared one
 * @param contentLength the declared body length, when known before reading
 * @param chunked       an HTTP/1.1 body sent with {@code Transfer-Encoding: chunked}
 * @param query         query parameters, the first value of each
 */
public record RequestHead(
        String method,
        Map<String, List<String>> headers,
        Optional<String> contentType,
        OptionalLong contentLength,
        boolean chunked,
        Map<String, String> query) {

    /** A head without body or query: what a rule that reads only headers needs. */
    public static RequestHead of(String method, Map<String, List<String>> headers) {
        return new RequestHead(method, headers, Optional.empty(), OptionalLong.empty(), false, Map.of());
    }

    public RequestHead withBody(Optional<String> contentType, OptionalLong contentLength) {
        return new RequestHead(method, headers, contentType, contentLength, chunked, query);
    }

    public RequestHead withChunked(boolean chunked) {
        return new RequestHead(method, headers, contentType, contentLength, chunked, query);
    }

    public RequestHead withQuery(Map<String, String> query) {
        return new RequestHead(method, headers, contentType, contentLength, chunked, query);
    }

    /** Every value of a header, in order; empty when absent. */
    public List<String> all(String lowerCaseName) {
        return headers.getOrDefault(lowerCaseName, List.of());
    }

    /** The first value of a header, trimmed. */
    public Optional<String> single(String lowerCaseName) {
        List<String> values = all(lowerCaseName);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0).trim());
    }

    /** Whether a header appears more than once. */
    public boolean repeated(String lowerCaseName) {
        return all(lowerCaseName).size() > 1;
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /**
     * The {@code Authorization: Bearer <token>} credentials (RFC 6750 §2.1; the scheme in any case), or why there
     * are none to check. The same three refusals for every endpoint that takes a bearer token.
     */
    public Bearer bearer() {
        List<String> authorization = all("authorization");
        if (authorization.size() > 1) {
            return new Bearer.Refused("More than one Authorization header");
        }
        if (authorization.isEmpty()) {
            return new Bearer.Refused("Missing Authorization header");
        }
        String credentials = authorization.get(0).trim();
        if (credentials.length() <= BEARER.length() || !credentials.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new Bearer.Refused("Authorization must be a Bearer access token");
        }
        return new Bearer.Token(credentials.substring(BEARER.length()).trim());
    }

    private static final String BEARER = "bearer ";

    /** Result of {@link #bearer()}. */
    public sealed interface Bearer {
        record Token(String token) implements Bearer {
        }

        /** No usable bearer credentials; {@code description} says what was wrong. */
        record Refused(String description) implements Bearer {
        }
    }
}
