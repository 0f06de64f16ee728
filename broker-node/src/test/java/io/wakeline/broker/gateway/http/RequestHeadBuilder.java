package io.wakeline.broker.gateway.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A request head for the rules' tests: start from a valid request, change one thing at a time. */
public class RequestHeadBuilder<B extends RequestHeadBuilder<B>> {
    public String method = "POST";
    public final Map<String, List<String>> headers = new HashMap<>();
    public Optional<String> contentType = Optional.empty();
    public OptionalLong contentLength = OptionalLong.empty();
    public boolean chunked;

    /** Sets a header's values (lower-case name), replacing any it had. */
    @SuppressWarnings("unchecked")
    public B header(String name, String... values) {
        headers.put(name, List.of(values));
        return (B) this;
    }

    @SuppressWarnings("unchecked")
    public B without(String name) {
        headers.remove(name);
        return (B) this;
    }

    public RequestHead head() {
        return RequestHead.of(method, headers).withBody(contentType, contentLength).withChunked(chunked);
    }
}
