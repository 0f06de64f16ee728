package io.wakeline.broker.gateway.control;

import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.channel.ControlChannelTokenSealer;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RequestHead;
import io.wakeline.broker.gateway.oauth.BearerAuthentication;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which control-channel requests are accepted, and how the others are answered (docs/app-server-api.md "Control
 * channels"). Plain Java: the route hands in what it read and renders the decision.
 *
 * <p>Order of the checks, first failure wins (the same order as the WNS send):
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
    private static final String OCTET_STREAM = "application/octet-stream";

    private final ControlChannelTokenSealer channels;
    private final BearerAuthentication authentication;
    private final ControlChannelSettings settings;

    public ControlChannelRequestRules(ControlChannelTokenSealer channels, BearerAuthentication authentication,
                                      ControlChannelSettings settings) {
        this.channels = channels;
        this.authentication = authentication;
        this.settings = settings;
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

    /**
     * @param sealedChannel the token part of the path
     * @param messageId     the {@code messages/<id>} part, when the path has one (a fate request)
     */
    public Decision check(RequestHead head, String sealedChannel, Optional<String> messageId, long nowMillis) {
        boolean status = messageId.isPresent();
        String expected = status ? "GET" : "POST";
        if (!expected.equals(head.method())) {
            return reject(Rejection.Kind.METHOD_NOT_ALLOWED, status
                    ? "Only GET is supported on a message's status" : "Only POST is supported on a control channel URI");
        }
        BearerAuthentication.Outcome caller = authentication.authenticate(head, nowMillis);
        if (caller instanceof BearerAuthentication.Outcome.Refused refused) {
            return reject(Rejection.Kind.UNAUTHORIZED, refused.description());
        }
        String callerApp = ((BearerAuthentication.Outcome.Authenticated) caller).token().packageSid();
        Optional<ControlChannelToken> opened = channels.open(sealedChannel);
        if (opened.isEmpty()) {
            return reject(Rejection.Kind.NOT_FOUND, "Control channel URI is not valid");
        }
        ControlChannelToken channel = opened.get();
        if (!channel.appId().equals(callerApp)) {
            return reject(Rejection.Kind.FORBIDDEN, "Control channel URI incompatible with caller app");
        }
        if (status) {
            String id = messageId.get();
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
