package io.wakeline.broker.gateway.webpush;

import io.wakeline.broker.seal.SealedBox;
import java.util.Optional;

/**
 * Seals {@link ReceiptSubscriptionToken}s into receipt subscription URLs ({@link SealedBox}, purpose
 * "wakeline/webpush-receipt-subscription", channel-token key): a capability URL (RFC 8030 §8: knowing it is
 * the authorization to read the receipts) that cannot be guessed, altered, or opened as any other token.
 */
public final class ReceiptSubscriptionSealer {
    private final SealedBox box;

    public ReceiptSubscriptionSealer(byte[] channelTokenKey) {
        this.box = new SealedBox(channelTokenKey, "wakeline/webpush-receipt-subscription");
    }

    public String seal(ReceiptSubscriptionToken token) {
        return box.sealFields(out -> {
            out.writeLong(token.expiresAtMillis());
            SealedBox.writeString(out, token.receiptSubscriptionId());
        });
    }

    /** The token, or empty when the text was not sealed by us for this purpose, or was altered. */
    public Optional<ReceiptSubscriptionToken> open(String sealed) {
        return box.openFields(sealed, in -> {
            long expires = in.readLong();
            return new ReceiptSubscriptionToken(SealedBox.readString(in), expires);
        });
    }
}
