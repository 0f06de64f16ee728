package io.wakeline.broker.channel;

import io.wakeline.broker.seal.SealedBox;
import java.util.Optional;

/**
 * Seals {@link WebPushSubscriptionToken}s into the last path segment of Web Push endpoints ({@link SealedBox},
 * purpose "wakeline/webpush-subscription"). It uses the channel-token key: the purpose label keeps a channel
 * token from ever opening as a subscription and the other way round.
 */
public final class WebPushSubscriptionSealer {
    private static final int MAX_KEY_BYTES = 65;

    private final SealedBox box;

    public WebPushSubscriptionSealer(byte[] channelTokenKey) {
        this.box = new SealedBox(channelTokenKey, "wakeline/webpush-subscription");
    }

    public String seal(WebPushSubscriptionToken token) {
        return box.sealFields(out -> {
            out.writeLong(token.expiresAtMillis());
            SealedBox.writeString(out, token.deviceId());
            SealedBox.writeString(out, token.appId());
            SealedBox.writeString(out, token.subscriptionId());
            byte[] key = token.applicationServerKey();
            out.writeByte(key.length);
            out.write(key);
        });
    }

    /** The token, or empty when the text was not sealed by us for this purpose, or was altered. */
    public Optional<WebPushSubscriptionToken> open(String sealed) {
        return box.openFields(sealed, in -> {
            long expires = in.readLong();
            String deviceId = SealedBox.readString(in);
            String appId = SealedBox.readString(in);
            String subscriptionId = SealedBox.readString(in);
            int keyLength = in.readUnsignedByte();
            if (keyLength > MAX_KEY_BYTES) {
                return null; // not a key this broker seals
            }
            byte[] key = new byte[keyLength];
            in.readFully(key);
            return new WebPushSubscriptionToken(deviceId, appId, subscriptionId, expires, key);
        });
    }
}
