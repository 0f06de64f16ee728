package io.wakeline.broker.gateway.wns;

import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * {@code MS-CV}: echoed when the request carries a plausible correlation vector, otherwise a new one
 * (wns-spec 2.1, 3.1). A new vector is a 16-character base64 base plus {@code .0}, the CV 2.0 form.
 */
public final class CorrelationVector {
    /** Base64 characters and dots, as correlation vectors are written; anything else is not echoed. */
    private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9+/=._-]{1,128}");

    private CorrelationVector() {
    }

    public static String echoOrCreate(Optional<String> fromRequest) {
        return fromRequest.map(String::trim).filter(cv -> PLAUSIBLE.matcher(cv).matches()).orElseGet(CorrelationVector::create);
    }

    public static String create() {
        byte[] base = new byte[12];
        ThreadLocalRandom.current().nextBytes(base);
        return Base64.getEncoder().encodeToString(base) + ".0";
    }
}
