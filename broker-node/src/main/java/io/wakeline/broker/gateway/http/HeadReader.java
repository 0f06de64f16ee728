package io.wakeline.broker.gateway.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpProtocols;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaType;
import akka.japi.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads the {@link RequestHead} of an Akka HTTP request: the headers an endpoint names (by lower-case name; headers
 * arrive raw, http.conf, so only the ones read are looked at), the body's media type and declared length, and the
 * query parameters.
 */
public final class HeadReader {
    private HeadReader() {
    }

    public static RequestHead read(HttpRequest request, Predicate<String> readsHeader) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpHeader header : request.getHeaders()) {
            String name = header.lowercaseName();
            if (readsHeader.test(name)) {
                headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(header.value());
            }
        }
        HttpEntity entity = request.entity();
        boolean chunked = request.protocol().equals(HttpProtocols.HTTP_1_1) && entity.isChunked();
        return new RequestHead(request.method().name(), headers, mediaTypeOf(entity), entity.getContentLengthOption(),
                chunked, queryOf(request));
    }

    /** The first value of each query parameter; nothing is parsed when there is no query. */
    private static Map<String, String> queryOf(HttpRequest request) {
        if (request.getUri().rawQueryString().isEmpty()) {
            return Map.of();
        }
        Map<String, String> query = new HashMap<>();
        for (Pair<String, String> parameter : request.getUri().query().toList()) {
            query.putIfAbsent(parameter.first(), parameter.second());
        }
        return query;
    }

    /** The body's {@code type/subtype}, without parameters such as {@code charset}; empty when none was declared. */
    public static Optional<String> mediaTypeOf(HttpEntity entity) {
        ContentType contentType = entity.getContentType();
        if (contentType == ContentTypes.NO_CONTENT_TYPE) {
            return Optional.empty();
        }
        MediaType mediaType = contentType.mediaType();
        return Optional.of(mediaType.mainType() + "/" + mediaType.subType());
    }
}
