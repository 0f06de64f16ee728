package io.wakeline.broker.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wakeline.broker.device.control.MessageFate;
import org.junit.jupiter.api.Test;

/** The fate document of {@code GET /cc/<token>/messages/<id>}, as docs/app-server-api.md §9 shows it. */
class ControlChannelRouteTest {

    @Test
    void aFateIsTheDocumentedJsonWithNullForTimesNotReached() {
        MessageFate acked = new MessageFate("0b6c4a52-7a9e-4d1c-9b41-2f1f7c0f8e11", "order-7", 12, MessageFate.State.ACKED,
                1700000000000L, 0, 1700000000450L, 1700086400000L, 0);
        assertEquals("{\"messageId\":\"0b6c4a52-7a9e-4d1c-9b41-2f1f7c0f8e11\",\"clientMessageId\":\"order-7\",\"sequence\":12,"
                + "\"state\":\"ACKED\",\"acceptedAt\":1700000000000,\"deliveredAt\":null,\"ackedAt\":1700000000450,"
                + "\"expiresAt\":1700086400000,\"expiredAt\":null}", ControlChannelRoute.fateJson(acked).toString());
    }

    @Test
    void aFateWithoutAClientMessageIdLeavesTheFieldOut() {
        MessageFate expired = new MessageFate("m-1", "", 3, MessageFate.State.EXPIRED, 10, 20, 0, 30, 31);
        assertEquals("{\"messageId\":\"m-1\",\"sequence\":3,\"state\":\"EXPIRED\",\"acceptedAt\":10,\"deliveredAt\":20,"
                + "\"ackedAt\":null,\"expiresAt\":30,\"expiredAt\":31}", ControlChannelRoute.fateJson(expired).toString());
    }

    @Test
    void anyIdIsEscapedAsJson() {
        MessageFate odd = new MessageFate("a\"b\\c", "x\ny", 1, MessageFate.State.ACCEPTED, 1, 0, 0, 2, 0);
        assertEquals("{\"messageId\":\"a\\\"b\\\\c\",\"clientMessageId\":\"x\\ny\",\"sequence\":1,\"state\":\"ACCEPTED\","
                + "\"acceptedAt\":1,\"deliveredAt\":null,\"ackedAt\":null,\"expiresAt\":2,\"expiredAt\":null}",
                ControlChannelRoute.fateJson(odd).toString());
    }
}
