package io.wakeline.broker.metrics;

import java.util.Locale;

/**
 * What a request to the app gateway asks for, told from its method and path alone (docs/app-server-api.md). The
 * {@code operation} tag of the HTTP metrics: a handful of values, never a token, id or other per-request text.
 */
public enum ApiOperation {
    /** {@code POST /w/{channel token}}: a WNS notification (wns-spec 3). */
    WNS_SEND,
    /** {@code POST /cc/{control channel token}}: a guaranteed control message. */
    CONTROL_SEND,
    /** {@code GET /cc/{token}/messages/{id}}: a control message's fate. */
    CONTROL_STATUS,
    /** {@code POST /wp/{subscription}}: a Web Push message (RFC 8030 §5). */
    WEBPUSH_SEND,
    /** {@code GET|DELETE /wp/m/{message}}: a Web Push message resource (RFC 8030 §6). */
    WEBPUSH_MESSAGE,
    /** {@code GET /wp/r/{receipt subscription}}: push receipts (RFC 8030 §5.1). */
    WEBPUSH_RECEIPTS,
    /** {@code POST /accesstoken.srf}: the OAuth token endpoint. */
    OAUTH_TOKEN,
    /** {@code GET /events}: the app's event stream. */
    EVENTS,
    /** {@code /admin/...}: the admin API. */
    ADMIN,
    /** {@code /console/...}: the web console and its API. */
    CONSOLE,
    /** Anything else (answered 404). */
    OTHER;

    /** The tag value: the constant's name in lower case. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code path} is the request's path, without query. */
    public static ApiOperation of(String path) {
        String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
        String first = segments[0];
        return switch (first) {
            case "w" -> segments.length >= 2 ? WNS_SEND : OTHER;
            case "cc" -> segments.length == 2 ? CONTROL_SEND : segments.length == 4 ? CONTROL_STATUS : OTHER;
            case "wp" -> segments.length < 2 ? OTHER
                    : segments.length == 3 && segments[1].equals("m") ? WEBPUSH_MESSAGE
                    : segments.length == 3 && segments[1].equals("r") ? WEBPUSH_RECEIPTS
                    : segments.length == 2 ? WEBPUSH_SEND : OTHER;
            case "accesstoken.srf" -> OAUTH_TOKEN;
            case "events" -> EVENTS;
            case "admin" -> ADMIN;
            case "console" -> CONSOLE;
            default -> OTHER;
        };
    }

    /** The method tag: the usual four by name, any other as "other". */
    public static String methodTag(String method) {
        return switch (method) {
            case "GET", "POST", "PUT", "DELETE" -> method;
            default -> "other";
        };
    }
}
