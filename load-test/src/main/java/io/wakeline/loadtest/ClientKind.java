package io.wakeline.loadtest;

/**
 * Which HTTP client sends a run's requests ({@code --client}). The JDK's {@code HttpClient} costs
 * about 0.8 ms of CPU per HTTP/2 request, enough to starve a broker sharing the machine; the Netty
 * HTTP/2 client is the lean default. Token requests and the {@code GET /events} stream always use
 * the JDK client (a handful of requests per run).
 */
public enum ClientKind {

    /** Netty's HTTP/2 codec over TLS (JDK provider): HTTP/2 only, one connection per {@code --connections}. */
    NETTY("netty"),

    /** {@code java.net.http.HttpClient}: HTTP/2 with fallback to HTTP/1.1; the only choice with {@code --http1.1}. */
    JDK("jdk");

    private final String flagValue;

    ClientKind(String flagValue) {
        this.flagValue = flagValue;
    }

    /** As written after {@code --client}. */
    public String flagValue() {
        return flagValue;
    }
}
