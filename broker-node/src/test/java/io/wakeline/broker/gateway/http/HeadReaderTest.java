package io.wakeline.broker.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpProtocols;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The request head the rules see, read from Akka HTTP's request model (no server needed). */
class HeadReaderTest {

    @Test
    void onlyTheNamedHeadersAreReadByLowerCaseNameWithEveryOccurrence() {
        HttpRequest request = HttpRequest.POST("/w/token")
                .withHeaders(List.of(RawHeader.create("X-WNS-Type", "wns/raw"), RawHeader.create("X-WNS-Tag", "a"),
                        RawHeader.create("x-wns-tag", "b"), RawHeader.create("Authorization", "Bearer t"),
                        RawHeader.create("User-Agent", "not read")))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, new byte[] {1, 2, 3}));
        RequestHead head = HeadReader.read(request, name -> name.startsWith("x-wns-") || name.equals("authorization"));
        assertEquals("POST", head.method());
        assertEquals(Map.of("x-wns-type", List.of("wns/raw"), "x-wns-tag", List.of("a", "b"),
                "authorization", List.of("Bearer t")), head.headers());
        assertEquals(Optional.of("application/octet-stream"), head.contentType());
        assertEquals(OptionalLong.of(3), head.contentLength());
        assertFalse(head.chunked());
        assertEquals(Map.of(), head.query());
    }

    @Test
    void theMediaTypeDropsItsParametersAndAMissingOneIsEmpty() {
        HttpRequest xml = HttpRequest.POST("/w/t").withEntity(HttpEntities.create(ContentTypes.TEXT_XML_UTF8, "<toast/>"));
        assertEquals(Optional.of("text/xml"), HeadReader.read(xml, name -> false).contentType());
        assertEquals(Optional.empty(), HeadReader.read(HttpRequest.POST("/w/t"), name -> false).contentType());
    }

    @Test
    void aChunkedHttp11BodyIsSeenAndItsLengthIsUnknown() {
        HttpRequest chunked = HttpRequest.create("/w/t").withMethod(HttpMethods.POST).withProtocol(HttpProtocols.HTTP_1_1)
                .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_OCTET_STREAM,
                        Source.single(ByteString.fromString("x"))));
        RequestHead head = HeadReader.read(chunked, name -> false);
        assertTrue(head.chunked());
        assertEquals(OptionalLong.empty(), head.contentLength());
    }

    @Test
    void theFirstValueOfEachQueryParameterIsKept() {
        RequestHead head = HeadReader.read(HttpRequest.GET("/events?after=7&after=9&x=1"), name -> false);
        assertEquals(Optional.of("7"), head.queryParameter("after"));
        assertEquals(Optional.of("1"), head.queryParameter("x"));
    }
}
