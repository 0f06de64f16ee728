package io.wakeline.broker.channel;

import io.wakeline.broker.seal.SealedBox;
import java.util.Optional;

/**
 * Seals {@link ControlChannelToken}s into the opaque part of control channel URIs ({@link SealedBox}, purpose
 * "wakeline/control-channel-token": a WNS channel token never opens here, nor the other way round).
 */
public final class ControlChannelTokenSealer {
    private final SealedBox box;

    public ControlChannelTokenSealer(byte[] key) {
        this.box = new SealedBox(key, "wakeline/control-channel-token");
    }

    public String seal(ControlChannelToken token) {
        return box.sealFields(out -> {
            out.writeLong(token.issuedAtMillis());
            SealedBox.writeString(out, token.deviceId());
            SealedBox.writeString(out, token.appId());
            SealedBox.writeString(out, token.controlChannelId());
        });
    }

    /** The token, or empty when the text was tampered with, truncated or sealed under another key or purpose. */
    public Optional<ControlChannelToken> open(String sealed) {
        return box.openFields(sealed, in -> {
            long issuedAt = in.readLong();
            return new ControlChannelToken(SealedBox.readString(in), SealedBox.readString(in), SealedBox.readString(in),
                    issuedAt);
        });
    }
}
