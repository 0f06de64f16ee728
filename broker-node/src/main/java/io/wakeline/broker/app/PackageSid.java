package io.wakeline.broker.app;

import java.util.regex.Pattern;

/**
 * The identity of an app: its package SID, {@code ms-app://S-1-15-2-…} (wns-spec 1.4).
 *
 * <p>Validated loosely on purpose: {@code ms-app://} followed by 1..200 characters of
 * {@code [A-Za-z0-9-]}. That is enough to keep garbage (and path or log injection) out of entity ids
 * without second-guessing how the Store builds SIDs.
 */
public final class PackageSid {
    public static final String SCHEME_PREFIX = "ms-app://";
    public static final int MAX_BODY_LENGTH = 200;
    private static final Pattern FORM = Pattern.compile("ms-app://[A-Za-z0-9-]{1," + MAX_BODY_LENGTH + "}");

    private PackageSid() {
    }

    public static boolean isWellFormed(String candidate) {
        return candidate != null && FORM.matcher(candidate).matches();
    }
}
