package io.wakeline.broker.gateway.webpush;

import io.wakeline.broker.channel.WebPushSubscriptionSealer;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.WebPushUrgency;
import java.net.URI;
import java.net.URISyntaxException;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RequestHead;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Web Push sends (RFC 8030 §5, RFC 8292) are accepted, and how the others are answered. Plain Java: the
 * route hands in what it read and turns the decision into a response.
 *
 * <p>Order of the checks, first failure wins:
 * <ol>
 *   <li>method is POST, else 405;</li>
 *   <li>the push resource's token opens, else 404; it has not expired, else "gone" (410 or 404, configured —
 *       RFC 8030 §7.3, wns-spec 9.10);</li>
 *   <li>VAPID (RFC 8292 §4.2): a restricted subscription without credentials is 401, with invalid ones or another
 *       key 403; an unrestricted one accepts no credentials but refuses invalid ones (403);</li>
 *   <li>{@code TTL} present as {@code 1*DIGIT} (§5.2), {@code Urgency} one known value (§5.3), {@code Topic} at most
 *       32 base64url characters (§5.4), a receipt subscription handed back ({@code Link} with
 *       {@code rel="urn:ietf:params:push:receipt"}, §5.1, or the draft-era {@code Push-Receipt}) one of ours,
 *       {@code Content-Encoding} exactly {@code aes128gcm} when there is a payload (RFC 8291 §4), else 400;</li>
 *   <li>declared length at most 4096 bytes, else 413 (§7.2: never for 4096 or less).</li>
 * </ol>
 * A TTL above {@code maxTtl} is shortened to it; values past 2^31 count as 2^31 (§5.2).
 */
public final class WebPushRequestRules {
    /** RFC 8030 §7.2: a push service must accept bodies up to this size, and may refuse larger ones. */
    public static final int MAX_PAYLOAD_BYTES = 4096;
    /** RFC 8030 §5.2: TTL values beyond what the service can represent count as 2^31. */
    static final long LARGEST_TTL = 1L << 31;
    static final String AES128GCM = "aes128gcm";
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    /** RFC 8188 header: salt(16) rs(4) idlen(1) keyid(idlen). */
    private static final int AES128GCM_KEYID_OFFSET = 21;
    static final String RECEIPT_PATH_SEGMENT = "r";
    static final String RECEIPT_RELATION = "urn:ietf:params:push:receipt";
    /** One link-value of a {@code Link} header (RFC 8288 §3): {@code <uri>} and its parameters. */
    private static final Pattern LINK_VALUE = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]+)*)");
    private static final Pattern REL_PARAMETER = Pattern.compile("(?i)\\brel\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;,]+))");

    private final WebPushSubscriptionSealer subscriptions;
    private final ReceiptSubscriptionSealer receiptSubscriptions;
    private final String origin;
    private final long maxTtlSeconds;

    /**
     * @param origin this service's origin ({@code https://host[:port]}): VAPID {@code aud} must name it
     */
    public WebPushRequestRules(WebPushSubscriptionSealer subscriptions, ReceiptSubscriptionSealer receiptSubscriptions,
                               String origin, long maxTtlSeconds) {
        this.subscriptions = subscriptions;
        this.receiptSubscriptions = receiptSubscriptions;
        this.origin = origin;
        this.maxTtlSeconds = Math.min(maxTtlSeconds, LARGEST_TTL);
    }

    /**
     * An accepted send, before its body is read.
     *
     * @param ttlSeconds      the TTL kept (the requested one, shortened to the maximum)
     * @param topic           empty when absent
     * @param contentEncoding {@code aes128gcm}, or empty when the request declared none
     * @param receipt         whether a receipt was asked for ({@code Prefer: respond-async}, §5.1), and where it goes
     * @param senderKey       the verified VAPID key, empty when the send carried none
     */
    public record Accepted(
            WebPushSubscriptionToken subscription,
            long ttlSeconds,
            WebPushUrgency urgency,
            String topic,
            String contentEncoding,
            ReceiptChoice receipt,
            byte[] senderKey) {

        public boolean hasSenderKey() {
            return senderKey.length > 0;
        }

        /** {@code Prefer: respond-async}: answer 202 with a receipt subscription link (§5.1). */
        public boolean respondAsync() {
            return !(receipt instanceof ReceiptChoice.None);
        }
    }

    /** Where the receipt of an accepted send goes (RFC 8030 §5.1). */
    public sealed interface ReceiptChoice {
        /** No {@code Prefer: respond-async}: no receipt (a receipt subscription handed back is only checked). */
        record None() implements ReceiptChoice {
        }

        /**
         * A new receipt subscription: none was handed back, or the one handed back expired ("MAY return a new
         * receipt subscription if it is unable to reuse the one provided").
         */
        record Fresh() implements ReceiptChoice {
        }

        /** The receipt subscription the sender handed back ("SHOULD return the same receipt subscription"). */
        record Reuse(String sealed, ReceiptSubscriptionToken token) implements ReceiptChoice {
        }
    }

    public sealed interface Decision {
        record Send(Accepted accepted) implements Decision {
        }

        record Rejected(Rejection rejection) implements Decision {
        }
    }

    /** {@code sealedSubscription}: the token part of the push resource's path. */
    public Decision checkHead(RequestHead head, String sealedSubscription, long nowMillis) {
        if (!"POST".equals(head.method())) {
            return reject(Rejection.Kind.METHOD_NOT_ALLOWED, "Only POST is supported on a push resource");
        }
        Optional<WebPushSubscriptionToken> opened = subscriptions.open(sealedSubscription);
        if (opened.isEmpty()) {
            return reject(Rejection.Kind.NOT_FOUND, "Not a push resource of this service");
        }
        WebPushSubscriptionToken subscription = opened.get();
        if (subscription.isExpiredAt(nowMillis)) {
            return reject(Rejection.Kind.GONE, "Subscription expired");
        }

        if (head.repeated("authorization")) {
            return reject(Rejection.Kind.BAD_REQUEST, "More than one Authorization header");
        }
        Vapid.Verdict vapid = Vapid.check(head.single("authorization"), head.single("crypto-key"), origin, nowMillis);
        byte[] senderKey = new byte[0];
        if (vapid instanceof Vapid.Verdict.Invalid invalid) {
            return reject(Rejection.Kind.FORBIDDEN, invalid.reason());
        }
        if (vapid instanceof Vapid.Verdict.Valid valid) {
            senderKey = valid.key();
        }
        if (subscription.isRestricted()) {
            if (vapid instanceof Vapid.Verdict.Absent) {
                return reject(Rejection.Kind.UNAUTHORIZED, "This subscription requires VAPID authentication");
            }
            if (!Arrays.equals(senderKey, subscription.applicationServerKey())) {
                return reject(Rejection.Kind.FORBIDDEN, "VAPID key is not the one this subscription is restricted to");
            }
        }

        if (head.repeated("ttl")) {
            return reject(Rejection.Kind.BAD_REQUEST, "More than one TTL header");
        }
        Optional<String> ttlHeader = head.single("ttl");
        if (ttlHeader.isEmpty()) {
            return reject(Rejection.Kind.BAD_REQUEST, "TTL header is required");
        }
        if (!DIGITS.matcher(ttlHeader.get()).matches()) {
            return reject(Rejection.Kind.BAD_REQUEST, "TTL must be a whole number of seconds");
        }
        long ttl = ttlHeader.get().length() > 10 ? LARGEST_TTL : Math.min(Long.parseLong(ttlHeader.get()), LARGEST_TTL);
        ttl = Math.min(ttl, maxTtlSeconds);

        WebPushUrgency urgency = WebPushUrgency.NORMAL;
        if (head.repeated("urgency")) {
            return reject(Rejection.Kind.BAD_REQUEST, "More than one Urgency header");
        }
        Optional<String> urgencyHeader = head.single("urgency");
        if (urgencyHeader.isPresent()) {
            Optional<WebPushUrgency> known = WebPushUrgency.ofHeader(urgencyHeader.get().toLowerCase(Locale.ROOT));
            if (known.isEmpty()) {
                return reject(Rejection.Kind.BAD_REQUEST, "Urgency must be very-low, low, normal or high");
            }
            urgency = known.get();
        }

        if (head.repeated("topic")) {
            return reject(Rejection.Kind.BAD_REQUEST, "More than one Topic header");
        }
        Optional<String> topic = head.single("topic");
        if (topic.isPresent() && !TOPIC.matcher(topic.get()).matches()) {
            return reject(Rejection.Kind.BAD_REQUEST, "Topic must be 1 to 32 base64url characters");
        }

        boolean respondAsync = head.all("prefer").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(preference -> preference.split(";")[0].trim().toLowerCase(Locale.ROOT))
                .anyMatch("respond-async"::equals);
        List<String> handedBack = receiptSubscriptionsHandedBack(head);
        if (handedBack.size() > 1) {
            return reject(Rejection.Kind.BAD_REQUEST, "More than one receipt subscription");
        }
        ReceiptChoice receipt = respondAsync ? new ReceiptChoice.Fresh() : new ReceiptChoice.None();
        if (!handedBack.isEmpty()) {
            Optional<String> sealedReceipts = receiptSubscriptionOf(handedBack.get(0));
            Optional<ReceiptSubscriptionToken> token = sealedReceipts.flatMap(receiptSubscriptions::open);
            if (token.isEmpty()) {
                // RFC 8030 §5.1: "MUST return a 400 (Bad Request) status code for requests which contain an invalid
                // receipt subscription"
                return reject(Rejection.Kind.BAD_REQUEST, "Not a receipt subscription of this service");
            }
            if (respondAsync && !token.get().isExpiredAt(nowMillis)) {
                receipt = new ReceiptChoice.Reuse(sealedReceipts.get(), token.get());
            }
        }

        if (head.repeated("content-encoding")) {
            return reject(Rejection.Kind.BAD_REQUEST, "More than one Content-Encoding header");
        }
        Optional<String> encoding = head.single("content-encoding").map(v -> v.toLowerCase(Locale.ROOT));
        if (encoding.isPresent() && !encoding.get().equals(AES128GCM)) {
            return reject(Rejection.Kind.BAD_REQUEST, "Content-Encoding must be aes128gcm (RFC 8291)");
        }
        if (head.contentLength().isPresent()) {
            long length = head.contentLength().getAsLong();
            if (length > MAX_PAYLOAD_BYTES) {
                return reject(Rejection.Kind.PAYLOAD_TOO_LARGE, "Payload exceeds " + MAX_PAYLOAD_BYTES + " bytes");
            }
            if (length > 0 && encoding.isEmpty()) {
                return reject(Rejection.Kind.BAD_REQUEST, "A payload needs Content-Encoding: aes128gcm (RFC 8291)");
            }
        }
        return new Decision.Send(new Accepted(subscription, ttl, urgency, topic.orElse(""), encoding.orElse(""),
                receipt, senderKey));
    }

    /** The rules on the body actually read. */
    public Optional<Rejection> checkPayload(byte[] body, Accepted accepted) {
        if (body.length > MAX_PAYLOAD_BYTES) {
            return Optional.of(new Rejection(Rejection.Kind.PAYLOAD_TOO_LARGE, "Payload exceeds " + MAX_PAYLOAD_BYTES + " bytes"));
        }
        if (body.length > 0 && accepted.contentEncoding().isEmpty()) {
            return Optional.of(new Rejection(Rejection.Kind.BAD_REQUEST, "A payload needs Content-Encoding: aes128gcm (RFC 8291)"));
        }
        if (accepted.hasSenderKey() && body.length > AES128GCM_KEYID_OFFSET) {
            int idLength = body[AES128GCM_KEYID_OFFSET - 1] & 0xFF;
            if (idLength == accepted.senderKey().length && body.length >= AES128GCM_KEYID_OFFSET + idLength
                    && Arrays.equals(body, AES128GCM_KEYID_OFFSET, AES128GCM_KEYID_OFFSET + idLength,
                    accepted.senderKey(), 0, idLength)) {
                // RFC 8292 §3.2: the VAPID key must not also be the encryption key
                return Optional.of(new Rejection(Rejection.Kind.BAD_REQUEST,
                        "The VAPID key is also the payload's encryption key (keyid)"));
            }
        }
        return Optional.empty();
    }

    /**
     * The receipt subscription URIs the request hands back: every {@code Link} link-value with relation
     * {@code urn:ietf:params:push:receipt} (RFC 8030 §5.1), and {@code Push-Receipt} (the header of the drafts
     * before it, still sent by some libraries). The same URI given both ways counts once.
     */
    private static List<String> receiptSubscriptionsHandedBack(RequestHead head) {
        Set<String> uris = new LinkedHashSet<>();
        for (String value : head.all("link")) {
            Matcher link = LINK_VALUE.matcher(value);
            while (link.find()) {
                Matcher rel = REL_PARAMETER.matcher(link.group(2));
                while (rel.find()) {
                    String relations = rel.group(1) != null ? rel.group(1) : rel.group(2);
                    if (Arrays.asList(relations.trim().toLowerCase(Locale.ROOT).split("\\s+")).contains(RECEIPT_RELATION)) {
                        uris.add(link.group(1).trim());
                    }
                }
            }
        }
        for (String value : head.all("push-receipt")) {
            uris.add(value.trim());
        }
        return List.copyOf(uris);
    }

    /** The sealed token of {@code <origin>/wp/r/<sealed>} (or of its path alone, resolved against our origin). */
    private Optional<String> receiptSubscriptionOf(String uri) {
        try {
            URI parsed = new URI(uri);
            String path = parsed.getRawPath();
            String prefix = "/" + WebPushEndpoints.PUSH_PATH_SEGMENT + "/" + RECEIPT_PATH_SEGMENT + "/";
            if (path == null || !path.startsWith(prefix) || parsed.getRawQuery() != null
                    || (parsed.isAbsolute() && !Vapid.sameOrigin(originOf(uri), origin))) {
                return Optional.empty();
            }
            String sealed = path.substring(prefix.length());
            return sealed.isEmpty() || sealed.contains("/") ? Optional.empty() : Optional.of(sealed);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String originOf(String uri) throws URISyntaxException {
        URI parsed = new URI(uri);
        return new URI(parsed.getScheme(), null, parsed.getHost(), parsed.getPort(), null, null, null).toString();
    }

    private static Decision reject(Rejection.Kind kind, String reason) {
        return new Decision.Rejected(new Rejection(kind, reason));
    }
}
