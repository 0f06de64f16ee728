package io.wakeline.broker.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Each documented error form, exactly (docs/app-server-api.md §3, §5.2, §8, §9). */
class RejectionRendererTest {
    private static final RejectionRenderer WNS = new RejectionRenderer(RejectionRenderer.Form.WNS_HEADERS,
            RejectionRenderer.bearerChallenge("wns"), List.of(HttpMethods.POST), 410);
    private static final RejectionRenderer WEB_PUSH_RFC_GONE = new RejectionRenderer(RejectionRenderer.Form.WEB_PUSH_JSON,
            RawHeader.create("WWW-Authenticate", "vapid"), List.of(HttpMethods.GET, HttpMethods.DELETE), 404);
    private static final RejectionRenderer CONTROL = new RejectionRenderer(RejectionRenderer.Form.ERROR_JSON,
            RejectionRenderer.bearerChallenge("wakeline"), List.of(HttpMethods.POST, HttpMethods.GET), 410);
    private static final RejectionRenderer EVENTS = new RejectionRenderer(RejectionRenderer.Form.PLAIN_TEXT,
            RejectionRenderer.bearerChallenge("wakeline-events"), List.of(HttpMethods.GET), 410);

    private static String headers(HttpResponse response) {
        return StreamSupport.stream(response.getHeaders().spliterator(), false)
                .map(h -> h.name() + ": " + h.value()).collect(Collectors.joining("\n"));
    }

    private static String body(HttpResponse response) {
        return ((HttpEntity.Strict) response.entity()).getData().utf8String();
    }

    private static String contentType(HttpResponse response) {
        return response.entity().getContentType().toString();
    }

    @Test
    void wnsRefusalsAreHeadersOnlyAndSayDroppedExceptOn500And503() {
        HttpResponse unauthorized = WNS.render(new Rejection(Rejection.Kind.UNAUTHORIZED, "Access token expired"));
        assertEquals(401, unauthorized.status().intValue());
        assertEquals("""
                X-WNS-Status: dropped
                X-WNS-NotificationStatus: dropped
                X-WNS-Error-Description: Access token expired
                WWW-Authenticate: Bearer realm="wns\"""", headers(unauthorized));
        assertEquals("", body(unauthorized));

        HttpResponse methodNotAllowed = WNS.render(new Rejection(Rejection.Kind.METHOD_NOT_ALLOWED, "Only POST"));
        assertEquals(405, methodNotAllowed.status().intValue());
        assertEquals("X-WNS-Status: dropped\nX-WNS-NotificationStatus: dropped\nX-WNS-Error-Description: Only POST\n"
                + "Allow: POST", headers(methodNotAllowed));

        HttpResponse unavailable = WNS.render(new Rejection(Rejection.Kind.UNAVAILABLE, "retry later")
                .withRetryAfter(Duration.ofMillis(400)));
        assertEquals(503, unavailable.status().intValue());
        assertEquals("X-WNS-Error-Description: retry later\nRetry-After: 1", headers(unavailable));
        assertEquals(500, WNS.render(new Rejection(Rejection.Kind.INTERNAL_ERROR, "Internal error")).status().intValue());
        assertEquals("X-WNS-Error-Description: Internal error",
                headers(WNS.render(new Rejection(Rejection.Kind.INTERNAL_ERROR, "Internal error"))));
        assertEquals(410, WNS.render(new Rejection(Rejection.Kind.GONE, "Channel URI expired")).status().intValue());
    }

    @Test
    void webPushRefusalsAreCodeErrorMessageJsonAndGoneIsTheConfiguredStatus() {
        HttpResponse tooLarge = WEB_PUSH_RFC_GONE.render(new Rejection(Rejection.Kind.PAYLOAD_TOO_LARGE, "Payload exceeds 4096 bytes"));
        assertEquals(413, tooLarge.status().intValue());
        assertEquals("application/json", contentType(tooLarge));
        // Akka HTTP 10.5's reason phrase, RFC 9110's name for 413
        assertEquals("{\"code\":413,\"error\":\"Content Too Large\",\"message\":\"Payload exceeds 4096 bytes\"}", body(tooLarge));

        HttpResponse gone = WEB_PUSH_RFC_GONE.render(new Rejection(Rejection.Kind.GONE, "Subscription expired"));
        assertEquals(404, gone.status().intValue());
        assertEquals("{\"code\":404,\"error\":\"Not Found\",\"message\":\"Subscription expired\"}", body(gone));

        HttpResponse unauthorized = WEB_PUSH_RFC_GONE.render(new Rejection(Rejection.Kind.UNAUTHORIZED, "VAPID required"));
        assertEquals("WWW-Authenticate: vapid", headers(unauthorized));
        assertEquals("Allow: GET, DELETE",
                headers(WEB_PUSH_RFC_GONE.render(new Rejection(Rejection.Kind.METHOD_NOT_ALLOWED, "GET or DELETE"))));
        HttpResponse throttled = WEB_PUSH_RFC_GONE.render(new Rejection(Rejection.Kind.TOO_MANY_REQUESTS, "slow down")
                .withRetryAfter(Duration.ofSeconds(3)));
        assertEquals(429, throttled.status().intValue());
        assertEquals("Retry-After: 3", headers(throttled));
        assertEquals("{\"code\":429,\"error\":\"Too Many Requests\",\"message\":\"slow down\"}", body(throttled));
    }

    @Test
    void controlChannelRefusalsNameTheKindAndEscapeAnyDescription() throws Exception {
        HttpResponse unsupported = CONTROL.render(new Rejection(Rejection.Kind.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/octet-stream"));
        assertEquals(415, unsupported.status().intValue());
        assertEquals("application/json", contentType(unsupported));
        assertEquals("{\"error\":\"unsupported_media_type\",\"description\":\"Content-Type must be application/octet-stream\"}",
                body(unsupported));

        // a description with quotes, a backslash and a line break stays valid JSON and says exactly that
        HttpResponse quoted = CONTROL.render(new Rejection(Rejection.Kind.BAD_REQUEST, "say \"hi\" \\ then\nbye"));
        assertEquals("{\"error\":\"bad_request\",\"description\":\"say \\\"hi\\\" \\\\ then\\nbye\"}", body(quoted));
        assertEquals("say \"hi\" \\ then\nbye", Json.MAPPER.readTree(body(quoted)).get("description").asText());

        assertEquals("WWW-Authenticate: Bearer realm=\"wakeline\"",
                headers(CONTROL.render(new Rejection(Rejection.Kind.UNAUTHORIZED, "Missing Authorization header"))));
        assertEquals("Allow: POST, GET",
                headers(CONTROL.render(new Rejection(Rejection.Kind.METHOD_NOT_ALLOWED, "Only POST"))));
        HttpResponse unavailable = CONTROL.render(new Rejection(Rejection.Kind.UNAVAILABLE, "node overloaded")
                .withRetryAfter(Duration.ofSeconds(5)));
        assertEquals("Retry-After: 5", headers(unavailable));
        assertEquals("{\"error\":\"unavailable\",\"description\":\"node overloaded\"}", body(unavailable));
    }

    @Test
    void eventStreamRefusalsArePlainText() {
        HttpResponse unauthorized = EVENTS.render(new Rejection(Rejection.Kind.UNAUTHORIZED, "Invalid access token"));
        assertEquals(401, unauthorized.status().intValue());
        assertEquals("WWW-Authenticate: Bearer realm=\"wakeline-events\"", headers(unauthorized));
        assertEquals("text/plain; charset=UTF-8", contentType(unauthorized));
        assertEquals("Invalid access token", body(unauthorized));
    }
}
