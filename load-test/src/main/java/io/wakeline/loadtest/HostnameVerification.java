package io.wakeline.loadtest;

/** Whether the broker's certificate must name the host we dialled, on top of being the pinned PEM. */
public enum HostnameVerification {

    /** The default: the certificate must be the pinned one and carry a SAN for the host in the URI. */
    VERIFY,

    /**
     * Test only: still trust nothing but the pinned PEM, but accept it under any host name (e.g. a
     * broker reached through a name its self-signed certificate does not list). Applies to this
     * run's clients only; the JVM-wide HttpClient setting is never touched.
     */
    SKIP_INSECURE_TEST_ONLY
}
