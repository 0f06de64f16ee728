package io.wakeline.broker.gateway.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.wakeline.broker.channel.ChannelTokenSealer;
import io.wakeline.broker.channel.WebPushSubscriptionSealer;
import io.wakeline.broker.gateway.oauth.AccessTokenSealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's secrets: the channel-token key, the access-token key and the admin token.
 *
 * <p>Each comes from configuration when set ({@code wakeline.keys.*}, {@code wakeline.admin.token}, or
 * their environment variables). When absent, it is generated once and kept in a 0600 file under
 * {@code <data-dir>/keys/}, so a single node works out of the box and a restart keeps issued channel
 * URIs and access tokens valid. A cluster must configure the keys explicitly: every node has to hold the
 * same ones. Nothing here ever logs a key or token, only file paths.
 */
public final class BrokerKeys {
    private static final Logger log = LoggerFactory.getLogger(BrokerKeys.class);

    public static final String CHANNEL_TOKEN_KEY_PATH = "wakeline.keys.channel-token-key";
    public static final String ACCESS_TOKEN_KEY_PATH = "wakeline.keys.access-token-key";
    public static final String ADMIN_TOKEN_PATH = "wakeline.admin.token";
    public static final String DATA_DIR_PATH = "wakeline.data-dir";

    static final String CHANNEL_TOKEN_KEY_FILE = "channel-token-key";
    static final String ACCESS_TOKEN_KEY_FILE = "access-token-key";
    static final String ADMIN_TOKEN_FILE = "admin-token";

    private static final int KEY_BYTES = 32;
    /** Shortest admin token accepted from configuration; a generated one has 43 characters. */
    private static final int MIN_ADMIN_TOKEN_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] channelTokenKey;
    private final byte[] accessTokenKey;
    private final String adminToken;
    private final Path keysDirectory;
    private final ChannelTokenSealer channelTokenSealer;
    private final AccessTokenSealer accessTokenSealer;
    private final WebPushSubscriptionSealer webPushSubscriptionSealer;

    private BrokerKeys(byte[] channelTokenKey, byte[] accessTokenKey, String adminToken, Path keysDirectory) {
        if (Arrays.equals(channelTokenKey, accessTokenKey)) {
            throw new ConfigException.BadValue(ACCESS_TOKEN_KEY_PATH, "must differ from " + CHANNEL_TOKEN_KEY_PATH);
        }
        this.channelTokenKey = channelTokenKey;
        this.accessTokenKey = accessTokenKey;
        this.adminToken = adminToken;
        this.keysDirectory = keysDirectory;
        this.channelTokenSealer = new ChannelTokenSealer(channelTokenKey);
        this.accessTokenSealer = new AccessTokenSealer(accessTokenKey);
        this.webPushSubscriptionSealer = new WebPushSubscriptionSealer(channelTokenKey);
    }

    /** Loads every secret from {@code config}, generating and storing under {@code <data-dir>/keys/} what is unset. */
    public static BrokerKeys loadOrCreate(Config config) {
        Path keysDir = Path.of(config.getString(DATA_DIR_PATH)).resolve("keys");
        byte[] channelKey = key(config, CHANNEL_TOKEN_KEY_PATH, keysDir.resolve(CHANNEL_TOKEN_KEY_FILE));
        byte[] accessKey = key(config, ACCESS_TOKEN_KEY_PATH, keysDir.resolve(ACCESS_TOKEN_KEY_FILE));
        String admin = adminToken(config, keysDir.resolve(ADMIN_TOKEN_FILE));
        return new BrokerKeys(channelKey, accessKey, admin, keysDir);
    }

    public byte[] channelTokenKey() {
        return channelTokenKey.clone();
    }

    public byte[] accessTokenKey() {
        return accessTokenKey.clone();
    }

    /** The bearer credential of the admin API. */
    public String adminToken() {
        return adminToken;
    }

    public Path keysDirectory() {
        return keysDirectory;
    }

    public ChannelTokenSealer channelTokenSealer() {
        return channelTokenSealer;
    }

    public AccessTokenSealer accessTokenSealer() {
        return accessTokenSealer;
    }

    /** Control channel URIs share the channel-token key under their own purpose label. */
    public io.wakeline.broker.channel.ControlChannelTokenSealer controlChannelTokenSealer() {
        return new io.wakeline.broker.channel.ControlChannelTokenSealer(channelTokenKey());
    }

    /** Web Push endpoints are sealed with the channel-token key under their own purpose label. */
    public WebPushSubscriptionSealer webPushSubscriptionSealer() {
        return webPushSubscriptionSealer;
    }

    @Override
    public String toString() {
        return "BrokerKeys[keysDirectory=" + keysDirectory + ", <redacted>]";
    }

    private static byte[] key(Config config, String path, Path file) {
        String configured = config.hasPath(path) ? config.getString(path).trim() : "";
        if (!configured.isEmpty()) {
            return decodeKey(configured, path);
        }
        if (Files.exists(file)) {
            return decodeKey(readTrimmed(file), file.toString());
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        OwnerOnlyFiles.write(file, (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII));
        log.warn("Generated {} and stored it in file={}; a cluster must configure the same key on every node",
                path, file);
        return key;
    }

    private static String adminToken(Config config, Path file) {
        String configured = config.hasPath(ADMIN_TOKEN_PATH) ? config.getString(ADMIN_TOKEN_PATH).trim() : "";
        if (!configured.isEmpty()) {
            if (configured.length() < MIN_ADMIN_TOKEN_LENGTH) {
                throw new ConfigException.BadValue(ADMIN_TOKEN_PATH,
                        "must be at least " + MIN_ADMIN_TOKEN_LENGTH + " characters");
            }
            return configured;
        }
        if (Files.exists(file)) {
            return readTrimmed(file);
        }
        byte[] random = new byte[KEY_BYTES];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        OwnerOnlyFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        log.warn("Generated the admin API token and stored it in file={}", file);
        return token;
    }

    private static byte[] decodeKey(String base64, String origin) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(origin, "not base64");
        }
        if (key.length != KEY_BYTES) {
            throw new ConfigException.BadValue(origin, "must be " + KEY_BYTES + " bytes, base64-encoded; got " + key.length);
        }
        return key;
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
