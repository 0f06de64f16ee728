package io.wakeline.broker.gateway.wns;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;
import io.wakeline.broker.device.CachePolicy;
import io.wakeline.broker.device.PushPriority;
import io.wakeline.broker.device.WnsType;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RequestHead;
import io.wakeline.broker.gateway.oauth.AccessToken;
import io.wakeline.broker.gateway.oauth.BearerAuthentication;
import java.util.Locale;
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
 *   <li>request form: no chunked body (2.4), {@code X-WNS-*} headers well-formed and not repeated, type one of
 *       the four, content type the type's own (2.1: {@code text/xml} for toast, tile and badge,
 *       {@code application/octet-stream} for raw), every optional header with a documented value, else 400;</li>
 *   <li>declared length within 1..5000 bytes: 0 is a 400 (4.1, raw body non-empty; an empty XML payload is
 *       equally meaningless), more is a 413 — all before a byte of the body is read; {@link #checkPayload}
 *       repeats the bound on what was read.</li>
 * </ol>
 *
 * <p>Payloads are not validated: WNS relays them and the client checks them against the type (wns-spec 2.1,
 * {@code X-WNS-Type} notes), so malformed XML in a toast is accepted and relayed byte-identical.
 */
public final class WnsRequestRules {
    /** wns-spec 4.1: largest payload of every notification type. */
    public static final int MAX_PAYLOAD_BYTES = 5000;

    private static final Pattern TAG_OR_GROUP = Pattern.compile("[A-Za-z0-9]{1,16}");
    /** Whole seconds; ten digits (over 300 years) is more than any TTL means, and keeps the arithmetic exact. */
    private static final Pattern TTL = Pattern.compile("[0-9]{1,10}");

    private final ChannelTokenSealer channels;
    private final BearerAuthentication authentication;

    public WnsRequestRules(ChannelTokenSealer channels, BearerAuthentication authentication) {
        this.channels = channels;
        this.authentication = authentication;
    }

    /**
     * How an accepted notification is to be handled (wns-spec 2.1, defaults applied).
     *
     * @param statusRequest {@code X-WNS-RequestForStatus}: whether the answer reports the device's connection
     * @param tag        {@code X-WNS-Tag}, empty when absent
     * @param group      {@code X-WNS-Group}, empty when absent
     * @param ttlSeconds {@code X-WNS-TTL}; empty: never expires
     */
    public record WnsSendOptions(
            WnsType type,
            CachePolicy cachePolicy,
            StatusRequest statusRequest,
            String tag,
            String group,
            OptionalLong ttlSeconds,
            PushPriority priority) {

        /** When the notification stops being deliverable: receipt time plus TTL (wns-spec 4.11). */
        public long expiresAtMillis(long acceptedAtMillis, long never) {
            return ttlSeconds.isPresent() ? acceptedAtMillis + ttlSeconds.getAsLong() * 1000 : never;
        }
    }

    /** {@code X-WNS-RequestForStatus} (wns-spec 2.1): what the answer reports besides the notification's status. */
    public enum StatusRequest {
        NONE,
        /** {@code true}: {@code X-WNS-DeviceConnectionStatus} too. */
        DEVICE_CONNECTION
    }

    public sealed interface Decision {
        record Accepted(ChannelToken channel, WnsSendOptions options) implements Decision {
        }

        record Rejected(Rejection rejection) implements Decision {
        }
    }

    /** {@code sealedChannel}: the token part of the channel URI's path. */
    public Decision checkHead(RequestHead head, String sealedChannel, long nowMillis) {
        if (!"POST".equals(head.method())) {
            return reject(Rejection.Kind.METHOD_NOT_ALLOWED, "Only POST is supported on a channel URI");
        }
        BearerAuthentication.Outcome caller = authentication.authenticate(head, nowMillis);
        if (caller instanceof BearerAuthentication.Outcome.Refused refused) {
            return reject(Rejection.Kind.UNAUTHORIZED, refused.description());
        }
        AccessToken accessToken = ((BearerAuthentication.Outcome.Authenticated) caller).token();

        ChannelTokenSealer.Opened openedChannel = channels.open(sealedChannel);
        if (!(openedChannel instanceof ChannelTokenSealer.Opened.Valid validChannel)) {
            return reject(Rejection.Kind.NOT_FOUND, "Channel URI is not valid");
        }
        ChannelToken channel = validChannel.token();
        if (!channel.appId().equals(accessToken.packageSid())) {
            return reject(Rejection.Kind.FORBIDDEN, "Channel URL incompatible with caller app");
        }
        if (channel.isExpiredAt(nowMillis)) {
            return reject(Rejection.Kind.GONE, "Channel URI expired");
        }

        if (head.chunked()) {
            return reject(Rejection.Kind.BAD_REQUEST, "Chunked transfer encoding is not supported; send Content-Length");
        }
        for (String name : head.headers().keySet()) {
            if (name.startsWith("x-wns-") && head.repeated(name)) {
                return reject(Rejection.Kind.BAD_REQUEST, "Header " + canonical(name) + " appears more than once");
            }
        }
        Optional<String> typeHeader = head.single("x-wns-type");
        if (typeHeader.isEmpty()) {
            return reject(Rejection.Kind.BAD_REQUEST, "Missing X-WNS-Type header");
        }
        Optional<WnsType> knownType = WnsType.ofHeader(typeHeader.get());
        if (knownType.isEmpty()) {
            return reject(Rejection.Kind.BAD_REQUEST, "Unknown X-WNS-Type; expected wns/toast, wns/tile, wns/badge or wns/raw");
        }
        WnsType type = knownType.get();
        if (head.contentType().map(ct -> !ct.equalsIgnoreCase(type.contentType())).orElse(true)) {
            return reject(Rejection.Kind.BAD_REQUEST, "Content-Type must be " + type.contentType() + " for " + type.headerValue());
        }

        CachePolicy cachePolicy;
        Optional<String> cache = head.single("x-wns-cache-policy").map(v -> v.toLowerCase(Locale.ROOT));
        if (cache.isEmpty()) {
            cachePolicy = type.defaultCachePolicy(); // wns-spec 2.1: tile and badge cache, raw no-cache
        } else if (cache.get().equals("no-cache")) {
            cachePolicy = CachePolicy.NO_CACHE;
        } else if (cache.get().equals("cache")) {
            cachePolicy = CachePolicy.CACHE;
        } else {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-Cache-Policy must be cache or no-cache");
        }

        Flag requestForStatus = Flag.of(head.single("x-wns-requestforstatus"));
        if (requestForStatus == Flag.MALFORMED) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-RequestForStatus must be true or false");
        }
        Optional<String> ttl = head.single("x-wns-ttl");
        if (ttl.map(v -> !TTL.matcher(v).matches()).orElse(false)) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-TTL must be a whole number of seconds (at most 10 digits)");
        }
        Optional<String> priorityHeader = head.single("x-wns-priority");
        Optional<PushPriority> priority = priorityHeader.flatMap(PushPriority::ofHeader);
        if (priorityHeader.isPresent() && priority.isEmpty()) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-PRIORITY must be 1, 2, 3 or 4");
        }
        Optional<String> tag = head.single("x-wns-tag");
        if (tag.map(v -> !TAG_OR_GROUP.matcher(v).matches()).orElse(false)) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-Tag must be 1 to 16 alphanumeric characters");
        }
        Optional<String> group = head.single("x-wns-group");
        if (group.map(v -> !TAG_OR_GROUP.matcher(v).matches()).orElse(false)) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-Group must be 1 to 16 alphanumeric characters");
        }
        Flag suppressPopup = Flag.of(head.single("x-wns-suppresspopup"));
        if (suppressPopup == Flag.MALFORMED) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-SuppressPopup must be true or false");
        }
        if (suppressPopup == Flag.TRUE) {
            // wns-spec 2.1: Windows Phone only; on a Windows channel the notification is dropped with an error
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-SuppressPopup is for Windows Phone channels only");
        }
        if (head.single("x-wns-match").isPresent()) {
            return reject(Rejection.Kind.BAD_REQUEST, "X-WNS-Match is only valid on DELETE to a Windows Phone channel");
        }

        if (head.contentLength().isPresent()) {
            Optional<Rejection> size = checkPayload(head.contentLength().getAsLong());
            if (size.isPresent()) {
                return new Decision.Rejected(size.get());
            }
        }
        return new Decision.Accepted(channel, new WnsSendOptions(type, cachePolicy,
                requestForStatus == Flag.TRUE ? StatusRequest.DEVICE_CONNECTION : StatusRequest.NONE,
                tag.orElse(""), group.orElse(""),
                ttl.map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty()),
                priority.orElse(type.defaultPriority())));
    }

    /** The size rule on the body actually read (or declared): non-empty, at most {@value #MAX_PAYLOAD_BYTES} bytes. */
    public Optional<Rejection> checkPayload(long bytes) {
        if (bytes <= 0) {
            return Optional.of(new Rejection(Rejection.Kind.BAD_REQUEST, "A notification payload must not be empty"));
        }
        if (bytes > MAX_PAYLOAD_BYTES) {
            return Optional.of(new Rejection(Rejection.Kind.PAYLOAD_TOO_LARGE,
                    "Payload exceeds " + MAX_PAYLOAD_BYTES + " bytes"));
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
