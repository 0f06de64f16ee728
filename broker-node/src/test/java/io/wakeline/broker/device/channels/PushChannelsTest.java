package io.wakeline.broker.device.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushChannelsTest {
    private static final String APP = "ms-app://S-1-15-2-100";
    private static final String OTHER = "ms-app://S-1-15-2-200";
    private static final long DAY = 86_400_000L;
    private static final PushChannels NONE = new PushChannels(Map.of(), Map.of(), Map.of());

    @Test
    void everyIssuedChannelIsOpenUntilItExpiresAndExpiredOnesGoWhenTheAppGetsANewOne() {
        PushChannels channels = NONE.issued(APP, "a", 0, 30 * DAY).issued(APP, "b", DAY, 31 * DAY).issued(OTHER, "x", 0, DAY);
        assertEquals(PushChannels.Target.Open, channels.channel(APP, "a"));
        assertEquals(PushChannels.Target.Open, channels.channel(APP, "b"));
        assertEquals(3, channels.channelCount());
        channels = channels.issued(APP, "c", 30 * DAY, 60 * DAY);
        assertEquals(PushChannels.Target.Unknown, channels.channel(APP, "a"), "expired: forgotten");
        assertEquals(PushChannels.Target.Open, channels.channel(OTHER, "x"), "another app's channels stay");
        assertEquals(PushChannels.Target.Unknown, channels.channel(APP, "never"));
    }

    @Test
    void closingAChannelClosesItAndEveryOlderOneOfItsAppButNotTheNewerOnes() {
        PushChannels channels = NONE.issued(APP, "old", 0, 30 * DAY).issued(APP, "mid", DAY, 31 * DAY)
                .issued(APP, "new", 2 * DAY, 32 * DAY).issued(OTHER, "x", 0, 30 * DAY);
        List<String> closing = channels.closing(APP, "mid", 3 * DAY);
        assertEquals(List.of("mid", "old"), closing, "wns-spec 4.5: that and older, sorted");
        channels = channels.closed(APP, closing, 3 * DAY);
        assertEquals(PushChannels.Target.Closed, channels.channel(APP, "old"));
        assertEquals(PushChannels.Target.Closed, channels.channel(APP, "mid"));
        assertEquals(PushChannels.Target.Open, channels.channel(APP, "new"));
        assertEquals(PushChannels.Target.Open, channels.channel(OTHER, "x"));
        assertEquals(List.of(), channels.closing(APP, "mid", 3 * DAY), "closed already: nothing more to close");
    }

    @Test
    void closingAnUnknownOrExpiredChannelClosesNothing() {
        PushChannels channels = NONE.issued(APP, "a", 0, DAY);
        assertEquals(List.of(), channels.closing(APP, "never", 0));
        assertEquals(List.of(), channels.closing(APP, "a", DAY), "expired");
    }

    @Test
    void aClosedChannelIsRememberedUntilItWouldHaveExpired() {
        PushChannels channels = NONE.issued(APP, "a", 0, DAY).issued(APP, "b", 0, 10 * DAY);
        channels = channels.closed(APP, List.of("a"), 0);
        assertEquals(PushChannels.Target.Closed, channels.channel(APP, "a"));
        channels = channels.closed(APP, List.of("b"), 2 * DAY);
        assertEquals(PushChannels.Target.Unknown, channels.channel(APP, "a"), "past its expiry: forgotten at the next close");
        assertEquals(PushChannels.Target.Closed, channels.channel(APP, "b"));
    }

    @Test
    void subscriptionsLiveUntilDroppedOrExpired() {
        PushChannels channels = NONE.subscribed(APP, "s1", 0, DAY).subscribed(APP, "s2", 0, 30 * DAY);
        assertEquals(PushChannels.Target.Open, channels.subscription("s1"));
        channels = channels.unsubscribed("s2", 0);
        assertEquals(PushChannels.Target.Unknown, channels.subscription("s2"));
        channels = channels.subscribed(OTHER, "s3", 2 * DAY, 30 * DAY);
        assertEquals(PushChannels.Target.Unknown, channels.subscription("s1"), "expired: forgotten at the next subscribe");
        assertEquals(new WebPushSubscription(OTHER, 30 * DAY), channels.subscriptions().get("s3"));
    }
}
