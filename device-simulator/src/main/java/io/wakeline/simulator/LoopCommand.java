package io.wakeline.simulator;

import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.PowerReport;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What other threads ask of the selector thread; each carries the future the caller waits on. */
sealed interface LoopCommand {

    CompletableFuture<?> done();

    /** Close the device's link and keep it offline. */
    record Disconnect(int position, CompletableFuture<Void> done) implements LoopCommand {
    }

    /** Bring an offline device back: it queues for a connect slot at once. */
    record Connect(int position, CompletableFuture<Void> done) implements LoopCommand {
    }

    /** Send one frame on the device's link, which must be established. */
    record Send(int position, Envelope envelope, CompletableFuture<Void> done) implements LoopCommand {
    }

    /** Send one frame and complete {@code done} with its answer (see {@link ScriptedRequest}). */
    record Request(int position, Envelope envelope, Envelope.BodyCase answerCase, CompletableFuture<Envelope> done)
            implements LoopCommand {
    }

    /** Copy every channel issued so far. */
    record SnapshotChannels(CompletableFuture<List<ChannelRecord>> done) implements LoopCommand {
    }

    /** Tell the broker the device's power facts (PowerReport); done once the frame is queued. */
    record ReportPower(int position, PowerReport report, CompletableFuture<Void> done) implements LoopCommand {
    }

    /** Close a channel of an app and every older one (ChannelClose); done with the ids the broker closed. */
    record CloseChannel(int position, String appId, String channelId, CompletableFuture<List<String>> done)
            implements LoopCommand {
    }

    /**
     * Create a Web Push subscription (WebPushSubscribe); done with what the broker issued. {@code keys} (nullable)
     * are the device's encryption keys, kept with the subscription and written to the channel file.
     */
    record SubscribeWebPush(int position, String appId, byte[] applicationServerKey, WebPushKeys keys,
                            CompletableFuture<WebPushSubscriptionRecord> done) implements LoopCommand {
    }

    /** Whether the device's handshake is done on its current link. */
    record IsLinked(int position, CompletableFuture<Boolean> done) implements LoopCommand {
    }

    /** Drop a Web Push subscription (WebPushUnsubscribe); done once the frame is queued. */
    record UnsubscribeWebPush(int position, String subscriptionId, CompletableFuture<Void> done) implements LoopCommand {
    }

    /** Close every link and end the selector thread. */
    record Stop(CompletableFuture<Void> done) implements LoopCommand {
    }
}
