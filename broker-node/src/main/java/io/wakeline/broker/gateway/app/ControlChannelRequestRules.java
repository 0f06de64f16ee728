package io.wakeline.broker.gateway.app;

import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.channel.ControlChannelTokenSealer;
import io.wakeline.broker.device.control.ControlChannelSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Which control-channel requests are accepted, and how the others are answered (docs/app-server-api.md "Control
 * channels"). Plain Java: the route hands in what it read and renders the decision.
 *
 * <p>Order of the checks, first failure wins (the same order as the WNS send, {@link WnsRequestRules}):
 * <ol>
 *   <li>method: POST on {@code /cc/<token>}, GET on {@code /cc/<token>/messages/<id>}, else 405;</li>
 *   <li>bearer access token present, sealed by us, unexpired, else 401;</li>
 *   <li>control channel token opens, else 404;</li>
 *   <li>the token's app is the channel's app, else 403;</li>
 *   <li>for a send: {@code Content-Type: application/octet-stream} (415), no chunked body,
 *       {@code X-Wakeline-Message-Id} 1..64 of {@code [A-Za-z0-9._:~-]}, {@code X-Wakeline-TTL} whole seconds
 *       1..max-ttl, neither repeated (400); declared length 1..max-payload-bytes (400 / 413).</li>
 * </ol>
 */
public final class ControlChannelRequestRules {
    public static final String MESSAGE_ID_HEADER = "x-wakeline-message-id";
    public static final String TTL_HEADER = "x-wakeline-ttl";
    public static final int MAX_CLIENT_MESSAGE_ID_LENGTH = 64;

    private static final Pattern CLIENT_MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:~-]{1," + MAX_CLIENT_MESSAGE_ID_LENGTH + "}");
    private static final Pattern TTL = Pattern.compile("[0-9]{1,10}");
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9a-f-]{36}");
    private static final String BEARER = "bearer ";
    private static final String OCTET_STREAM = "application/octet-stream";

    private final ControlChannelTokenSealer channels;
    private final AccessTokenSealer accessTokens;
    private final ControlChannelSettings settings;

    public ControlChannelRequestRules(ControlChannelTokenSealer channels, AccessTokenSealer accessTokens,
                                      ControlChannelSettings settings) {
        this.channels = channels;
        this.accessTokens = accessTokens;
        this.settings = settings;
    }

    /**
     * @param sealedChannel the token part of the path
     * @param messageId     the {@code messages/<id>} part, when the path has one
     * @param headers       by lower-case name, all values in order
     */
    public record Head(String method, String sealedChannel, Optional<String> messageId, Map<String, List<String>> headers,
                       Optional<String> contentType, OptionalLong contentLength, boolean chunked) {

        Optional<String> single(String name) {
            List<String> values = headers.getOrDefault(name, List.of());
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0).trim());
        }

        boolean repeated(String name) {
            return headers.getOrDefault(name, List.of()).size() > 1;
        }
    }

    public record Rejection(Kind kind, String description) {
        public enum Kind {
            BAD_REQUEST(400), UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404), METHOD_NOT_ALLOWED(405),
            PAYLOAD_TOO_LARGE(413), UNSUPPORTED_MEDIA_TYPE(415);

            private final int httpStatus;

            Kind(int httpStatus) {
                this.httpStatus = httpStatus;
            }

            public int httpStatus() {
                return httpStatus;
            }
        }
    }

    public sealed interface Decision {
        /** A send: {@code clientMessageId} "" when none; the message expires at receipt + {@code ttlSeconds}. */
        record Send(ControlChannelToken channel, String clientMessageId, long ttlSeconds) implements Decision {
            public long expiresAtMillis(long acceptedAtMillis) {
                return acceptedAtMillis + ttlSeconds * 1000;
            }
        }

        record Status(ControlChannelToken channel, String messageId) implements Decision {
        }

        record Rejected(Rejection rejection) implements Decision {
        }
    }

    public Decision check(Head head, long nowMillis) {
        boolean status = head.messageId().isPresent();
        String expected = status ? "GET" : "POST";
        if (!expected.equals(head.method())) {
            return reject(Rejection.Kind.METHOD_NOT_ALLOWED, status
                    ? "Only GET is supported on a message's status" : "Only POST is supported on a control channel URI");
        }
        if (head.repeated("authorization")) {
            return reject(Rejection.Kind.UNAUTHORIZED, "More than one Authorization header");
        }
        Optional<String> authorization = head.single("authorization");
        if (authorization.isEmpty()) {
            return reject(Rejection.Kind.UNAUTHORIZED, "Missing Authorization header");
        }
        String credentials = authorization.get();
        if (credentials.length() <= BEARER.length() || !credentials.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return reject(Rejection.Kind.UNAUTHORIZED, "Authorization must be a Bearer access token");
        }
        if (!(accessTokens.open(credentials.substring(BEARER.length()).trim()) instanceof AccessTokenSealer.Opened.Valid valid)) {
            return reject(Rejection.Kind.UNAUTHORIZED, "Invalid access token");
        }
        if (valid.token().isExpiredAt(nowMillis)) {
            return reject(Rejection.Kind.UNAUTHORIZED, "Access token expired");
        }
        Optional<ControlChannelToken> opened = channels.open(head.sealedChannel());
        if (opened.isEmpty()) {
            return reject(Rejection.Kind.NOT_FOUND, "Control channel URI is not valid");
        }
        ControlChannelToken channel = opened.get();
        if (!channel.appId().equals(valid.token().packageSid())) {
            return reject(Rejection.Kind.FORBIDDEN, "Control channel URI incompatible with caller app");
        }
        if (status) {
            String id = head.messageId().get();
            if (!MESSAGE_ID.matcher(id).matches()) {
                return reject(Rejection.Kind.NOT_FOUND, "No such message");
            }
            return new Decision.Status(channel, id);
        }
        if (head.contentType().map(ct -> !ct.equalsIgnoreCase(OCTET_STREAM)).orElse(true)) {
            return reject(Rejection.Kind.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + OCTET_STREAM);
        }
        if (head.chunked()) {
            return reject(Rejection.Kind.BAD_REQUEST, "Chunked transfer encoding is not supported; send Content-Length");
        }
        if (head.repeated(MESSAGE_ID_HEADER) || head.repeated(TTL_HEADER)) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-Wakeline-Message-Id and X-Wakeline-TTL may appear once");
        }
        Optional<String> clientId = head.single(MESSAGE_ID_HEADER);
        if (clientId.isPresent() && !CLIENT_MESSAGE_ID.matcher(clientId.get()).matches()) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-Wakeline-Message-Id must be 1 to " + MAX_CLIENT_MESSAGE_ID_LENGTH
                    + " characters of A-Z a-z 0-9 . _ : ~ -");
        }
        long ttlSeconds = settings.defaultTtl().toSeconds();
        Optional<String> ttl = head.single(TTL_HEADER);
        if (ttl.isPresent()) {
            if (!TTL.matcher(ttl.get()).matches()) {
                return reject(Rejection.Kind.BAD_REQUEST, "X-Wakeline-TTL must be a whole number of seconds");
            }
            ttlSeconds = Long.parseLong(ttl.get());
            if (ttlSeconds < 1 || ttlSeconds > settings.maxTtl().toSeconds()) {
                return reject(Rejection.Kind.BAD_REQUEST, "X-Wakeline-TTL must be 1 to " + settings.maxTtl().toSeconds() + " seconds");
            }
        }
        if (head.contentLength().isPresent()) {
            Optional<Rejection> size = checkPayload(head.contentLength().getAsLong());
            if (size.isPresent()) {
                return new Decision.Rejected(size.get());
            }
        }
        return new Decision.Send(channel, clientId.orElse(""), ttlSeconds);
    }

    /** Non-empty, at most {@code max-payload-bytes}. */
    public Optional<Rejection> checkPayload(long bytes) {
        if (bytes <= 0) {
            return Optional.of(new Rejection(Rejection.Kind.BAD_REQUEST, "A control message must not be empty"));
        }
        if (bytes > settings.maxPayloadBytes()) {
            return Optional.of(new Rejection(Rejection.Kind.PAYLOAD_TOO_LARGE,
                    "Control message exceeds " + settings.maxPayloadBytes() + " bytes"));
        }
        return Optional.empty();
    }

    public int maxPayloadBytes() {
        return settings.maxPayloadBytes();
    }

    private static Decision reject(Rejection.Kind kind, String description) {
        return new Decision.Rejected(new Rejection(kind, description));
    }
}
