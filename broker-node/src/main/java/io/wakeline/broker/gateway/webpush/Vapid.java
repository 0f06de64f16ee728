package io.wakeline.broker.gateway.webpush;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * VAPID (RFC 8292): who sends, proven by an ES256-signed JWT. Pure JDK: the key is rebuilt from its 65-byte
 * uncompressed point, the JWS signature (raw {@code R || S}, RFC 7518 §3.4) is converted to the DER form
 * {@code SHA256withECDSA} expects.
 *
 * <p>Accepted forms: {@code Authorization: vapid t=<JWT>, k=<key>} (RFC 8292 §3), and the pre-RFC
 * {@code Authorization: WebPush <JWT>} with {@code Crypto-Key: p256ecdsa=<key>} (wns-spec 9.19). A token is valid
 * when: t and k are present; k is a P-256 point; the header says ES256; the signature verifies; {@code aud} is our
 * origin; {@code exp} is present, in the future and at most 24 hours ahead (RFC 8292 §2, §4.2).
 */
public final class Vapid {
    /** RFC 8292 §2: exp no more than 24 hours after the request. */
    public static final long MAX_EXPIRY_SECONDS = 24 * 60 * 60;
    /** Longest JWT accepted; a real one is about 250 characters. */
    private static final int MAX_TOKEN_LENGTH = 2048;
    private static final int KEY_BYTES = 65;
    private static final int SIGNATURE_BYTES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ECParameterSpec P256 = p256();

    private Vapid() {
    }

    /** What the request's credentials amount to. */
    public sealed interface Verdict {
        /** No VAPID credentials (no {@code Authorization}, or another scheme). */
        record Absent() implements Verdict {
        }

        /** Verified; {@code key} is the 65-byte application server key. */
        record Valid(byte[] key, String subject) implements Verdict {
        }

        /** Present but not acceptable, and why (for the error body; never the token itself). */
        record Invalid(String reason) implements Verdict {
        }
    }

    /**
     * @param authorization the {@code Authorization} header, if any
     * @param cryptoKey     the {@code Crypto-Key} header, if any (legacy form only)
     * @param origin        this push service's origin, {@code https://host[:port]}; {@code aud} must name it
     */
    public static Verdict check(Optional<String> authorization, Optional<String> cryptoKey, String origin,
                                long nowMillis) {
        if (authorization.isEmpty()) {
            return new Verdict.Absent();
        }
        String value = authorization.get().trim();
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : value.substring(space + 1).trim();
        String token;
        String key;
        if (scheme.equals("vapid")) {
            token = parameter(rest, "t").orElse(null);
            key = parameter(rest, "k").orElse(null);
        } else if (scheme.equals("webpush")) {
            token = rest.isEmpty() ? null : rest;
            key = cryptoKey.flatMap(header -> parameter(header.replace(';', ','), "p256ecdsa")).orElse(null);
        } else {
            return new Verdict.Absent();
        }
        if (token == null || token.isEmpty()) {
            return new Verdict.Invalid("VAPID token (t) missing");
        }
        if (key == null || key.isEmpty()) {
            return new Verdict.Invalid("VAPID key (k) missing");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return new Verdict.Invalid("VAPID token too long");
        }
        Optional<byte[]> keyBytes = base64Url(key);
        if (keyBytes.isEmpty() || keyBytes.get().length != KEY_BYTES || keyBytes.get()[0] != 0x04) {
            return new Verdict.Invalid("VAPID key (k) is not a base64url uncompressed P-256 point");
        }
        Optional<PublicKey> publicKey = publicKey(keyBytes.get());
        if (publicKey.isEmpty()) {
            return new Verdict.Invalid("VAPID key (k) is not a point on P-256");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return new Verdict.Invalid("VAPID token is not a JWS compact serialization");
        }
        Optional<JsonNode> header = base64Url(parts[0]).flatMap(Vapid::json);
        Optional<JsonNode> claims = base64Url(parts[1]).flatMap(Vapid::json);
        Optional<byte[]> signature = base64Url(parts[2]);
        if (header.isEmpty() || claims.isEmpty() || signature.isEmpty()) {
            return new Verdict.Invalid("VAPID token is not well-formed");
        }
        if (!"ES256".equals(header.get().path("alg").asText(null))) {
            return new Verdict.Invalid("VAPID token must be signed with ES256");
        }
        JsonNode typ = header.get().get("typ");
        if (typ != null && !"JWT".equalsIgnoreCase(typ.asText())) {
            return new Verdict.Invalid("VAPID token typ must be JWT");
        }
        if (signature.get().length != SIGNATURE_BYTES
                || !verifies(publicKey.get(), (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                        signature.get())) {
            return new Verdict.Invalid("VAPID signature does not verify with k");
        }
        JsonNode aud = claims.get().get("aud");
        if (aud == null || !aud.isTextual() || !sameOrigin(aud.asText(), origin)) {
            return new Verdict.Invalid("VAPID aud must be " + origin);
        }
        JsonNode exp = claims.get().get("exp");
        if (exp == null || !exp.canConvertToLong() || !exp.isIntegralNumber()) {
            return new Verdict.Invalid("VAPID exp missing or not a number");
        }
        long nowSeconds = nowMillis / 1000;
        if (exp.asLong() <= nowSeconds) {
            return new Verdict.Invalid("VAPID token expired");
        }
        if (exp.asLong() > nowSeconds + MAX_EXPIRY_SECONDS) {
            return new Verdict.Invalid("VAPID exp more than 24 hours ahead");
        }
        return new Verdict.Valid(keyBytes.get(), claims.get().path("sub").asText(""));
    }

    /** The key as base64url without padding, as {@code k} carries it. */
    public static String encodeKey(byte[] key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** A 65-byte uncompressed P-256 point as a public key; empty if it is not on the curve. */
    public static Optional<PublicKey> publicKey(byte[] uncompressed) {
        if (uncompressed.length != KEY_BYTES || uncompressed[0] != 0x04) {
            return Optional.empty();
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65));
        BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return Optional.empty();
        }
        BigInteger left = y.modPow(BigInteger.TWO, p);
        BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        if (!left.equals(right)) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256)));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** JWS ES256 signature ({@code R || S}, 32 bytes each) in the ASN.1 DER form of the JDK. */
    static byte[] derSignature(byte[] raw) {
        byte[] r = derInteger(Arrays.copyOfRange(raw, 0, 32));
        byte[] s = derInteger(Arrays.copyOfRange(raw, 32, 64));
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + r.length + s.length);
        out.write(0x30);
        out.write(r.length + s.length); // at most 70: the short length form always fits
        out.writeBytes(r);
        out.writeBytes(s);
        return out.toByteArray();
    }

    private static byte[] derInteger(byte[] unsigned) {
        int start = 0;
        while (start < unsigned.length - 1 && unsigned[start] == 0) {
            start++;
        }
        byte[] magnitude = Arrays.copyOfRange(unsigned, start, unsigned.length);
        boolean pad = (magnitude[0] & 0x80) != 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream(magnitude.length + 3);
        out.write(0x02);
        out.write(magnitude.length + (pad ? 1 : 0));
        if (pad) {
            out.write(0);
        }
        out.writeBytes(magnitude);
        return out.toByteArray();
    }

    private static boolean verifies(PublicKey key, byte[] signedBytes, byte[] rawSignature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(signedBytes);
            return verifier.verify(derSignature(rawSignature));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** {@code aud} names our origin: same scheme, host and port (443 when omitted), nothing after it. */
    static boolean sameOrigin(String audience, String origin) {
        try {
            URI a = new URI(audience);
            URI o = new URI(origin);
            return a.getScheme() != null && a.getHost() != null
                    && a.getScheme().equalsIgnoreCase(o.getScheme())
                    && a.getHost().equalsIgnoreCase(o.getHost())
                    && portOf(a) == portOf(o)
                    && (a.getRawPath() == null || a.getRawPath().isEmpty())
                    && a.getRawQuery() == null && a.getRawFragment() == null && a.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int portOf(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    /** {@code name=value} from a comma-separated list; the value may be quoted. */
    private static Optional<String> parameter(String list, String name) {
        for (String part : list.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = part.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** base64url, padded or not; empty when it is not base64url. */
    static Optional<byte[]> base64Url(String text) {
        try {
            String unpadded = text.endsWith("==") ? text.substring(0, text.length() - 2)
                    : text.endsWith("=") ? text.substring(0, text.length() - 1) : text;
            return Optional.of(Base64.getUrlDecoder().decode(unpadded));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<JsonNode> json(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is required by every Java 17 runtime", e);
        }
    }
}
