package io.wakeline.broker.device.push;

import static io.wakeline.broker.device.push.PushFixtures.webPush;
import static io.wakeline.broker.device.push.PushFixtures.webPushWithReceipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEvent.WebPushReceiptFate;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WebPushUrgency;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebPushReceiptsTest {
    private static final long T0 = 1_800_000_000_000L;
    private final WebPushReceipts receipts = new WebPushReceipts("dev-1", Duration.ofSeconds(10));

    private static List<WebPushReceiptFate> fates(List<WebPushReceipts.Receipt> out) {
        return out.stream().map(r -> r.event().fate()).toList();
    }

    @Test
    void anAcknowledgedMessageGetsOne204ReceiptNamingItsMessageResource() {
        WebPushMessage m = webPushWithReceipt("sub-1", "a", 60, "", "receipts-1", T0);
        receipts.accepted(m, T0);
        receipts.sent(m, T0 + 5);

        List<WebPushReceipts.Receipt> out = receipts.acknowledged("sub-1", m.messageId(), T0 + 50);

        assertEquals(1, out.size());
        WebPushReceipts.Receipt receipt = out.get(0);
        assertEquals("receipts-1", receipt.receiptSubscriptionId());
        AppEvent.WebPushReceipt event = receipt.event();
        assertEquals(WebPushReceiptFate.ACKNOWLEDGED, event.fate());
        assertEquals(204, event.fate().httpStatus());
        assertEquals(m.receipt().messageResource(), event.messageResource());
        assertEquals(T0 + 50, event.atMillis());
        assertEquals(List.of(), receipts.acknowledged("sub-1", m.messageId(), T0 + 60), "an ack repeated: no second receipt");
        assertTrue(receipts.isEmpty());
    }

    @Test
    void aDeviceThatNeverAcknowledgesCostsAtMostMaxTrackedMessagesTheOldestGivenUpWith410() {
        WebPushMessage first = webPushWithReceipt("sub-1", "a", 3_600, "", "r", T0);
        assertEquals(List.of(), receipts.accepted(first, T0));
        receipts.sent(first, T0);
        for (int i = 1; i < WebPushReceipts.MAX_TRACKED; i++) {
            WebPushMessage m = webPushWithReceipt("sub-1", "a", 3_600, "", "r", T0 + i);
            assertEquals(List.of(), receipts.accepted(m, T0 + i));
            receipts.sent(m, T0 + i);
        }

        WebPushMessage overflow = webPushWithReceipt("sub-1", "a", 3_600, "", "r", T0 + 5_000);
        List<WebPushReceipts.Receipt> out = receipts.accepted(overflow, T0 + 5_000);

        assertEquals(List.of(WebPushReceiptFate.NOT_DELIVERED), fates(out));
        assertEquals(first.messageId(), out.get(0).event().messageId());
        assertEquals(410, out.get(0).event().fate().httpStatus());
        assertEquals(WebPushReceipts.MAX_TRACKED, receipts.size());
    }

    @Test
    void aMessageWithoutAReceiptRequestIsNeverTracked() {
        WebPushMessage m = webPush("sub-1", "a", 60, WebPushUrgency.NORMAL, "", T0);
        receipts.accepted(m, T0);
        receipts.sent(m, T0);
        assertEquals(List.of(), receipts.acknowledged("sub-1", m.messageId(), T0 + 1));
        assertEquals(List.of(), receipts.expire(T0 + 3_600_000));
        assertEquals(List.of(), receipts.deleted("sub-1", m.messageId(), T0));
        assertTrue(receipts.isEmpty());
    }

    @Test
    void aStoredMessageWhoseTtlEndsGets410AtItsTtl() {
        WebPushMessage m = webPushWithReceipt("sub-1", "a", 2, "", "r", T0);
        receipts.accepted(m, T0);
        assertEquals(Optional.of(T0 + 2000), receipts.nextDeadline());
        assertEquals(List.of(), receipts.expire(T0 + 1999));
        List<WebPushReceipts.Receipt> out = receipts.expire(T0 + 2000);
        assertEquals(List.of(WebPushReceiptFate.EXPIRED), fates(out));
        assertEquals(410, out.get(0).event().fate().httpStatus());
        assertEquals(Optional.empty(), receipts.nextDeadline());
    }

    @Test
    void aSentMessageWaitsForItsAckAtLeastTheAckWaitEvenWithTtlZero() {
        WebPushMessage m = webPushWithReceipt("sub-1", "a", 0, "", "r", T0);
        receipts.accepted(m, T0);
        receipts.sent(m, T0);
        assertEquals(Optional.of(T0 + 10_000), receipts.nextDeadline());
        assertEquals(List.of(), receipts.expire(T0 + 9_999));
        assertEquals(List.of(WebPushReceiptFate.ACKNOWLEDGED), fates(receipts.acknowledged("sub-1", m.messageId(), T0 + 9_999)));
    }

    @Test
    void aSentMessageNeverAcknowledgedGets410AndIsResentOnlyWithinItsTtl() {
        WebPushMessage m = webPushWithReceipt("sub-1", "a", 60, "", "r", T0);
        receipts.accepted(m, T0);
        assertEquals(List.of(), receipts.unacknowledged(T0), "stored messages are the inbox's to send");
        receipts.sent(m, T0);
        assertEquals(List.of(m), receipts.unacknowledged(T0 + 59_999));
        assertEquals(List.of(), receipts.unacknowledged(T0 + 60_000), "never sent after its TTL");
        assertEquals(List.of(WebPushReceiptFate.EXPIRED), fates(receipts.expire(T0 + 60_000)));
    }

    @Test
    void deletedByTheSenderGets410() {
        WebPushMessage m = webPushWithReceipt("sub-1", "a", 60, "", "r", T0);
        receipts.accepted(m, T0);
        assertEquals(List.of(WebPushReceiptFate.DELETED), fates(receipts.deleted("sub-1", m.messageId(), T0 + 1)));
        assertEquals(List.of(), receipts.expire(T0 + 60_000));
    }

    @Test
    void aMessageReplacedByItsTopicGetsNoReceiptButOneEvictedGets410() {
        WebPushMessage replaced = webPushWithReceipt("sub-1", "old", 60, "inbox", "r", T0);
        WebPushMessage evicted = webPushWithReceipt("sub-1", "other", 60, "", "r", T0);
        WebPushMessage newcomer = webPushWithReceipt("sub-1", "new", 60, "inbox", "r", T0 + 1);
        receipts.accepted(replaced, T0);
        receipts.accepted(evicted, T0);
        receipts.accepted(newcomer, T0 + 1);

        List<WebPushReceipts.Receipt> out = receipts.displaced(newcomer, List.<Push>of(replaced, evicted), T0 + 1);

        assertEquals(1, out.size(), "RFC 8030 §5.4: the replaced message's receipt is suppressed");
        assertEquals(evicted.messageId(), out.get(0).event().messageId());
        assertEquals(WebPushReceiptFate.NOT_DELIVERED, out.get(0).event().fate());
        assertEquals(1, receipts.size(), "only the newcomer is left");
    }

    @Test
    void notDeliverableAndUnsubscribedGet410() {
        WebPushMessage ttlZero = webPushWithReceipt("sub-1", "a", 0, "", "r", T0);
        WebPushMessage a = webPushWithReceipt("sub-2", "b", 60, "", "r", T0);
        WebPushMessage b = webPushWithReceipt("sub-2", "c", 60, "", "r", T0);
        WebPushMessage other = webPushWithReceipt("sub-3", "d", 60, "", "r", T0);
        List.of(ttlZero, a, b, other).forEach(m -> receipts.accepted(m, T0));
        receipts.sent(b, T0);

        assertEquals(List.of(WebPushReceiptFate.NOT_DELIVERED), fates(receipts.notDelivered(ttlZero, T0)));
        assertEquals(List.of(WebPushReceiptFate.UNSUBSCRIBED, WebPushReceiptFate.UNSUBSCRIBED),
                fates(receipts.unsubscribed("sub-2", T0 + 1)));
        assertEquals(1, receipts.size());
    }
}
