package io.wakeline.broker.gateway.http;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link Rejection} into the answer an endpoint documents (docs/app-server-api.md): the status, the error in
 * the endpoint's {@link Form}, {@code Retry-After} when the rejection has one, the endpoint's challenge on a 401 and
 * its {@code Allow} on a 405. One instance per resource; immutable.
 */
public final class RejectionRenderer {
    private final Form form;
    private final HttpHeader challenge;
    private final Allow allow;
    private final int goneStatus;

    /** How an endpoint writes its errors. */
    public enum Form {
        /**
         * WNS (wns-spec 3.1): an empty body; {@code X-WNS-Status} and its legacy twin {@code X-WNS-NotificationStatus}
         * say {@code dropped} (the notification was not taken) on every answer but 500 and 503, where it may or may
         * not have reached the device; {@code X-WNS-Error-Description} says why.
         */
        WNS_HEADERS,
        /** Web Push: {@code {"code":413,"error":"Payload Too Large","message":"…"}} (docs/app-server-api.md §5.2). */
        WEB_PUSH_JSON,
        /**
         * Wakeline's own endpoints (control channels): {@code {"error":"payload_too_large","description":"…"}}, the
         * error named after the rejection's kind (docs/app-server-api.md §9).
         */
        ERROR_JSON,
        /** Event streams: the description as {@code text/plain}. */
        PLAIN_TEXT
    }

    /**
     * @param challenge  {@code WWW-Authenticate} on a 401
     * @param allow      {@code Allow} on a 405: the methods the resource takes
     * @param goneStatus the status of {@link Rejection.Kind#GONE}: 410, or 404 where configured (RFC 8030 §7.3)
     */
    public RejectionRenderer(Form form, HttpHeader challenge, List<HttpMethod> allow, int goneStatus) {
        this.form = form;
        this.challenge = challenge;
        this.allow = Allow.create(allow.toArray(HttpMethod[]::new));
        this.goneStatus = goneStatus;
    }

    /** {@code WWW-Authenticate: Bearer realm="<realm>"} (RFC 6750 §3). */
    public static HttpHeader bearerChallenge(String realm) {
        return WWWAuthenticate.create(HttpChallenge.create("Bearer", realm));
    }

    /** {@code Retry-After} in whole seconds, at least 1 (RFC 9110 §10.2.3). */
    public static HttpHeader retryAfter(Duration delay) {
        return RetryAfter.create(Math.max(1L, delay.toSeconds()));
    }

    public HttpResponse render(Rejection rejection) {
        Rejection.Kind kind = rejection.kind();
        int status = kind == Rejection.Kind.GONE ? goneStatus : kind.httpStatus();
        List<HttpHeader> headers = new ArrayList<>(5);
        if (form == Form.WNS_HEADERS) {
            if (kind != Rejection.Kind.INTERNAL_ERROR && kind != Rejection.Kind.UNAVAILABLE) {
                headers.add(RawHeader.create("X-WNS-Status", "dropped"));
                headers.add(RawHeader.create("X-WNS-NotificationStatus", "dropped"));
            }
            headers.add(RawHeader.create("X-WNS-Error-Description", rejection.description()));
        }
        rejection.retryAfter().ifPresent(delay -> headers.add(retryAfter(delay)));
        if (kind == Rejection.Kind.METHOD_NOT_ALLOWED) {
            headers.add(allow);
        }
        if (kind == Rejection.Kind.UNAUTHORIZED) {
            headers.add(challenge);
        }
        HttpResponse response = HttpResponse.create().withStatus(status).addHeaders(headers);
        return switch (form) {
            case WNS_HEADERS -> response;
            case WEB_PUSH_JSON -> response.withEntity(Json.entity(Json.object()
                    .put("code", status)
                    .put("error", response.status().reason())
                    .put("message", rejection.description())));
            case ERROR_JSON -> response.withEntity(Json.entity(Json.object()
                    .put("error", kind.name().toLowerCase(Locale.ROOT))
                    .put("description", rejection.description())));
            case PLAIN_TEXT -> response.withEntity(rejection.description());
        };
    }
}
