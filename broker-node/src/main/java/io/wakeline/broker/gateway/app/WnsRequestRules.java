package io.wakeline.broker.gateway.app;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;
import io.wakeline.broker.device.RawPush.CachePolicy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Which WNS send requests are accepted, and how the others are answered (wns-spec 2–4). Plain Java: the
 * route hands in what it read from the request and turns the decision into a response.
 *
 * <p>Order of the checks, first failure wins:
 * <ol>
 *   <li>method is POST, else 405 (2.1);</li>
 *   <li>bearer access token present, sealed by us, unexpired, else 401 (1.13) — before the channel is
 *       looked at, so a caller without a token learns nothing about a URI;</li>
 *   <li>channel token opens, else 404 (2.2: a modified URI is unknown);</li>
 *   <li>token's app is the channel's app, else 403 (1.12, 3.2);</li>
 *   <li>channel not expired, else 410 (4.2, 4.3);</li>
 *   <li>request form: no chunked body (2.4), {@code X-WNS-*} headers well-formed and not repeated, type
 *       supported, content type matches the type (2.1), else 400;</li>
 *   <li>declared length within 1..5000 bytes: 0 is a 400 (4.1, raw body non-empty), more is a 413 — all
 *       before a byte of the body is read; {@link #checkPayload} repeats the bound on what was read.</li>
 * </ol>
 */
public final class WnsRequestRules {
    /** wns-spec 4.1: largest payload of every notification type. */
    public static final int MAX_PAYLOAD_BYTES = 5000;

    static final String RAW = "wns/raw";
    static final String RAW_CONTENT_TYPE = "application/octet-stream";
    private static final List<String> LATER_TYPES = List.of("wns/toast", "wns/tile", "wns/badge");
    private static final Pattern TAG_OR_GROUP = Pattern.compile("[A-Za-z0-9]{1,16}");
    private static final Pattern TTL = Pattern.compile("[0-9]{1,10}");
    private static final String BEARER = "bearer ";

    private final ChannelTokenSealer channels;
    private final AccessTokenSealer accessTokens;

    public WnsRequestRules(ChannelTokenSealer channels, AccessTokenSealer accessTokens) {
        this.channels = channels;
        this.accessTokens = accessTokens;
    }

    /**
     * What the route knows before reading the body.
     *
     * @param headers       request headers by lower-case name (all values, in order)
     * @param contentType   the media type ({@code type/subtype}, no parameters), if the request declared one
     * @param contentLength the declared body length, if known before reading
     * @param chunked       HTTP/1.1 {@code Transfer-Encoding: chunked}
     */
    public record Head(
            String method,
            String sealedChannel,
            Map<String, List<String>> headers,
            Optional<String> contentType,
            OptionalLong contentLength,
            boolean chunked) {

        Optional<String> single(String lowerCaseName) {
            List<String> values = headers.getOrDefault(lowerCaseName, List.of());
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0).trim());
        }

        boolean repeated(String lowerCaseName) {
            return headers.getOrDefault(lowerCaseName, List.of()).size() > 1;
        }
    }

    /** How an accepted raw notification is to be handled. */
    public record RawOptions(CachePolicy cachePolicy, boolean requestForStatus) {
    }

    /** A refused send: which status, and the {@code X-WNS-Error-Description}. */
    public record Rejection(Kind kind, String description) {

        public enum Kind {
            BAD_REQUEST(400),
            UNAUTHORIZED(401),
            FORBIDDEN(403),
            CHANNEL_NOT_FOUND(404),
            METHOD_NOT_ALLOWED(405),
            CHANNEL_EXPIRED(410),
            PAYLOAD_TOO_LARGE(413);

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
        record Accepted(ChannelToken channel, RawOptions options) implements Decision {
        }

        record Rejected(Rejection rejection) implements Decision {
        }
    }

    public Decision checkHead(Head head, long nowMillis) {
        if (!"POST".equals(head.method())) {
            return reject(Rejection.Kind.METHOD_NOT_ALLOWED, "Only POST is supported on a channel URI");
        }

        if (head.repeated("authorization")) {
            return reject(Rejection.Kind.UNAUTHORIZED, "More than one Authorization header");
        }
        Optional<String> authorization = head.single("authorization");
        if (authorization.isEmpty()) {
            return reject(Rejection.Kind.UNAUTHORIZED, "Missing Authorization header");
        }
        String credentials = authorization.get();
        if (credentials.length() <= BEARER.length()
                || !credentials.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return reject(Rejection.Kind.UNAUTHORIZED, "Authorization must be a Bearer access token");
        }
        AccessTokenSealer.Opened openedAccess = accessTokens.open(credentials.substring(BEARER.length()).trim());
        if (!(openedAccess instanceof AccessTokenSealer.Opened.Valid validAccess)) {
            return reject(Rejection.Kind.UNAUTHORIZED, "Invalid access token");
        }
        AccessToken accessToken = validAccess.token();
        if (accessToken.isExpiredAt(nowMillis)) {
            return reject(Rejection.Kind.UNAUTHORIZED, "Access token expired");
        }

        ChannelTokenSealer.Opened openedChannel = channels.open(head.sealedChannel());
        if (!(openedChannel instanceof ChannelTokenSealer.Opened.Valid validChannel)) {
            return reject(Rejection.Kind.CHANNEL_NOT_FOUND, "Channel URI is not valid");
        }
        ChannelToken channel = validChannel.token();
        if (!channel.appId().equals(accessToken.packageSid())) {
            return reject(Rejection.Kind.FORBIDDEN, "Channel URL incompatible with caller app");
        }
        if (channel.isExpiredAt(nowMillis)) {
            return reject(Rejection.Kind.CHANNEL_EXPIRED, "Channel URI expired");
        }

        if (head.chunked()) {
            return reject(Rejection.Kind.BAD_REQUEST, "Chunked transfer encoding is not supported; send Content-Length");
        }
        for (String name : head.headers().keySet()) {
            if (name.startsWith("x-wns-") && head.repeated(name)) {
                return reject(Rejection.Kind.BAD_REQUEST, "Header " + canonical(name) + " appears more than once");
            }
        }
        Optional<String> type = head.single("x-wns-type");
        if (type.isEmpty()) {
            return reject(Rejection.Kind.BAD_REQUEST, "Missing X-WNS-Type header");
        }
        if (LATER_TYPES.contains(type.get())) {
            return reject(Rejection.Kind.BAD_REQUEST,
                    "X-WNS-Type " + type.get() + " is not supported by this broker yet; only wns/raw is");
        }
        if (!RAW.equals(type.get())) {
            return reject(Rejection.Kind.BAD_REQUEST, "Unknown X-WNS-Type; expected wns/toast, wns/tile, wns/badge or wns/raw");
        }
        if (head.contentType().map(ct -> !ct.equalsIgnoreCase(RAW_CONTENT_TYPE)).orElse(true)) {
            return reject(Rejection.Kind.BAD_REQUEST, "Content-Type must be application/octet-stream for wns/raw");
        }

        CachePolicy cachePolicy;
        Optional<String> cache = head.single("x-wns-cache-policy").map(v -> v.toLowerCase(Locale.ROOT));
        if (cache.isEmpty() || cache.get().equals("no-cache")) {
            cachePolicy = CachePolicy.NO_CACHE; // wns-spec 2.1: raw defaults to no-cache
        } else if (cache.get().equals("cache")) {
            cachePolicy = CachePolicy.CACHE;
        } else {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-Cache-Policy must be cache or no-cache");
        }

        Flag requestForStatus = Flag.of(head.single("x-wns-requestforstatus"));
        if (requestForStatus == Flag.MALFORMED) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-RequestForStatus must be true or false");
        }
        Optional<String> rejectedOptional = checkOptionalHeaders(head);
        if (rejectedOptional.isPresent()) {
            return reject(Rejection.Kind.BAD_REQUEST, rejectedOptional.get());
        }

        if (head.contentLength().isPresent()) {
            Optional<Rejection> size = checkPayload(head.contentLength().getAsLong());
            if (size.isPresent()) {
                return new Decision.Rejected(size.get());
            }
        }
        return new Decision.Accepted(channel, new RawOptions(cachePolicy, requestForStatus == Flag.TRUE));
    }

    /** The size rule on the body actually read (or declared): non-empty, at most {@value #MAX_PAYLOAD_BYTES} bytes. */
    public Optional<Rejection> checkPayload(long bytes) {
        if (bytes <= 0) {
            return Optional.of(new Rejection(Rejection.Kind.BAD_REQUEST, "A raw notification must not be empty"));
        }
        if (bytes > MAX_PAYLOAD_BYTES) {
            return Optional.of(new Rejection(Rejection.Kind.PAYLOAD_TOO_LARGE,
                    "Payload exceeds " + MAX_PAYLOAD_BYTES + " bytes"));
        }
        return Optional.empty();
    }

    /** Headers that do not change raw delivery here but must be well-formed when present (wns-spec 2.1). */
    private static Optional<String> checkOptionalHeaders(Head head) {
        if (head.single("x-wns-ttl").map(v -> !TTL.matcher(v).matches()).orElse(false)) {
            return Optional.of("X-WNS-TTL must be a number of seconds");
        }
        if (head.single("x-wns-priority").map(v -> !v.matches("[1-4]")).orElse(false)) {
            return Optional.of("X-WNS-PRIORITY must be 1, 2, 3 or 4");
        }
        if (head.single("x-wns-tag").map(v -> !TAG_OR_GROUP.matcher(v).matches()).orElse(false)) {
            return Optional.of("X-WNS-Tag must be 1 to 16 alphanumeric characters");
        }
        if (head.single("x-wns-group").map(v -> !TAG_OR_GROUP.matcher(v).matches()).orElse(false)) {
            return Optional.of("X-WNS-Group must be 1 to 16 alphanumeric characters");
        }
        Flag suppressPopup = Flag.of(head.single("x-wns-suppresspopup"));
        if (suppressPopup == Flag.MALFORMED) {
            return Optional.of("X-WNS-SuppressPopup must be true or false");
        }
        if (suppressPopup == Flag.TRUE) {
            return Optional.of("X-WNS-SuppressPopup is for Windows Phone channels only");
        }
        if (head.single("x-wns-match").isPresent()) {
            return Optional.of("X-WNS-Match is only valid on DELETE to a Windows Phone channel");
        }
        return Optional.empty();
    }

    /** A {@code true}/{@code false} header (any case). */
    private enum Flag {
        ABSENT,
        TRUE,
        FALSE,
        MALFORMED;

        static Flag of(Optional<String> value) {
            if (value.isEmpty()) {
                return ABSENT;
            }
            return switch (value.get().toLowerCase(Locale.ROOT)) {
                case "true" -> TRUE;
                case "false" -> FALSE;
                default -> MALFORMED;
            };
        }
    }

    private static String canonical(String lowerCaseWnsHeader) {
        return "X-WNS-" + lowerCaseWnsHeader.substring("x-wns-".length());
    }

    private static Decision reject(Rejection.Kind kind, String description) {
        return new Decision.Rejected(new Rejection(kind, description));
    }
}
