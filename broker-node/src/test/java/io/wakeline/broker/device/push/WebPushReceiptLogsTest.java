package io.wakeline.broker.device.push;

import static io.wakeline.broker.device.push.PushFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.app.events.AppEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebPushReceiptLogsTest {
    private final WebPushReceiptLogs logs = new WebPushReceiptLogs();

    private static WebPushReceipts.Receipt receipt(String receiptSubscription, String messageId) {
        return new WebPushReceipts.Receipt(receiptSubscription, new AppEvent.WebPushReceipt("dev-1", "s1", messageId,
                "/m/" + messageId, AppEvent.WebPushReceiptFate.ACKNOWLEDGED, NOW));
    }

    @Test
    void receiptsGoToTheirReceiptSubscriptionsLogsInOrder() {
        List<WebPushReceiptLogs.Batch> batches = logs.batches(List.of(receipt("rs-1", "a"), receipt("rs-2", "b"),
                receipt("rs-1", "c")));
        assertEquals(2, batches.size());
        assertEquals(AppEvent.WebPushReceipt.logOf("rs-1"), batches.get(0).log());
        assertEquals(List.of("a", "c"), batches.get(0).events().stream()
                .map(e -> ((AppEvent.WebPushReceipt) e).messageId()).toList());
        assertTrue(batches.stream().allMatch(b -> b.attempt() == 1));
        assertFalse(logs.isIdle());
        batches.forEach(logs::recorded);
        assertTrue(logs.isIdle());
    }

    @Test
    void aBatchTheLogDidNotRecordIsTriedAgainAFewTimesThenGivenUp() {
        WebPushReceiptLogs.Batch batch = logs.batches(List.of(receipt("rs-1", "a"))).get(0);
        for (int attempt = 2; attempt <= WebPushReceiptLogs.ATTEMPTS; attempt++) {
            batch = assertInstanceOf(WebPushReceiptLogs.Next.Retry.class, logs.failed(batch)).batch();
            assertEquals(attempt, batch.attempt());
            assertFalse(logs.isIdle(), "in flight while it waits to be tried again");
        }
        assertEquals(new WebPushReceiptLogs.Next.Done(true), logs.failed(batch));
        assertTrue(logs.isIdle());
    }
}
