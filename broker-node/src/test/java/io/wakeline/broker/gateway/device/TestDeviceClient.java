package io.wakeline.broker.gateway.device;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.DecodeResult;
import io.wakeline.protocol.DeviceCredentials;
import io.wakeline.protocol.FrameDecoder;
import io.wakeline.protocol.FrameEncoder;
import io.wakeline.protocol.LinkProtocol;
import io.wakeline.protocol.v1.Authenticate;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Hello;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Optional;

/** A deliberately simple blocking device for gateway tests: one socket, frames in and out. */
final class TestDeviceClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder(LinkProtocol.DEFAULT_MAX_FRAME_BYTES);
    private ByteBuffer pending = ByteBuffer.allocate(0);

    TestDeviceClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Hello, Challenge, Authenticate, Welcome; returns the Welcome (or whatever came instead). */
    Envelope handshake(String deviceId, byte[] fleetSecret) throws IOException {
        send(Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(1).setDeviceId(deviceId)).build());
        Envelope challenge = receive().orElseThrow();
        byte[] proof = DeviceCredentials.proof(DeviceCredentials.deriveCredential(fleetSecret, deviceId),
                challenge.getChallenge().getNonce().toByteArray(), deviceId);
        send(Envelope.newBuilder().setAuthenticate(Authenticate.newBuilder().setProof(ByteString.copyFrom(proof))).build());
        return receive().orElseThrow();
    }

    void send(Envelope envelope) throws IOException {
        out.write(FrameEncoder.encode(envelope));
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame, or empty when the broker closed the link. */
    Optional<Envelope> receive() throws IOException {
        while (true) {
            DecodeResult result = decoder.decode(pending);
            if (result instanceof DecodeResult.Frame frame) {
                return Optional.of(frame.envelope());
            }
            if (result instanceof DecodeResult.Malformed malformed) {
                throw new IOException("broker sent a malformed frame: " + malformed);
            }
            byte[] chunk = new byte[4096];
            int n = in.read(chunk);
            if (n < 0) {
                return Optional.empty();
            }
            ByteBuffer grown = ByteBuffer.allocate(pending.remaining() + n);
            grown.put(pending).put(chunk, 0, n).flip();
            pending = grown;
        }
    }

    /** True once the broker has closed the connection (reads EOF within the socket timeout). */
    boolean closedByBroker() throws IOException {
        try {
            while (true) {
                if (receive().isEmpty()) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // a reset also means the broker closed the link
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
