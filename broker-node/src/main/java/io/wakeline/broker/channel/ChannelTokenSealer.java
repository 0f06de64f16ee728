package io.wakeline.broker.channel;

import io.wakeline.broker.seal.SealedBox;

/**
 * Seals {@link ChannelToken}s into the opaque part of channel URIs ({@link SealedBox}: AES-256-GCM, purpose
 * "wakeline/channel-token"). Nothing in the token is readable or forgeable without the key; a changed
 * character anywhere fails. Every node of a cluster must hold the same key.
 */
public final class ChannelTokenSealer {
    /** Longest token accepted for opening; bounds the work an unauthenticated caller can cause. */
    public static final int MAX_SEALED_LENGTH = SealedBox.MAX_SEALED_LENGTH;

    private final SealedBox box;

    public ChannelTokenSealer(byte[] key) {
        this.box = new SealedBox(key, "wakeline/channel-token");
    }

    public String seal(ChannelToken token) {
        return box.sealFields(out -> {
            out.writeLong(token.expiresAtMillis());
            SealedBox.writeString(out, token.deviceId());
            SealedBox.writeString(out, token.appId());
            SealedBox.writeString(out, token.channelId());
        });
    }

    /** Opens a sealed token; any tampering, truncation or foreign key gives {@link Opened.Invalid}. */
    public Opened open(String sealed) {
        return box.openFields(sealed, in -> {
            long expires = in.readLong();
            return new ChannelToken(SealedBox.readString(in), SealedBox.readString(in), SealedBox.readString(in), expires);
        }).<Opened>map(Opened.Valid::new).orElseGet(() -> new Opened.Invalid("not a channel token of this broker"));
    }

    /** Result of {@link #open(String)}. */
    public sealed interface Opened {
        record Valid(ChannelToken token) implements Opened {
        }

        record Invalid(String reason) implements Opened {
        }
    }
}
