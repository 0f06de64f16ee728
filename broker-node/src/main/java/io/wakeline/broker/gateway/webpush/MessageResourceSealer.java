package io.wakeline.broker.gateway.webpush;

import io.wakeline.broker.seal.SealedBox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Seals {@link MessageResourceToken}s into message resource URLs ({@link SealedBox}, purpose
 * "wakeline/webpush-message", channel-token key): a capability URL nobody can guess or alter.
 */
public final class MessageResourceSealer {
    private final SealedBox box;

    public MessageResourceSealer(byte[] channelTokenKey) {
        this.box = new SealedBox(channelTokenKey, "wakeline/webpush-message");
    }

    public String seal(MessageResourceToken token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(token.expiresAtMillis());
            out.writeUTF(token.deviceId());
            out.writeUTF(token.subscriptionId());
            out.writeUTF(token.messageId());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return box.seal(bytes.toByteArray());
    }

    public Optional<MessageResourceToken> open(String sealed) {
        Optional<byte[]> plain = box.open(sealed);
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain.get()))) {
            long expires = in.readLong();
            MessageResourceToken token = new MessageResourceToken(in.readUTF(), in.readUTF(), in.readUTF(), expires);
            return in.available() == 0 ? Optional.of(token) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
