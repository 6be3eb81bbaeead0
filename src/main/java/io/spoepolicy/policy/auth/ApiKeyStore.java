package io.spoepolicy.policy.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.spoepolicy.policy.settings.PolicyConfigurationException;

/**
 * API keys held as SHA-256 digests. A presented key is hashed and compared with every stored
 * digest by {@link MessageDigest#isEqual} (constant time), without stopping at a match, so the
 * time taken says nothing about which key, or how much of one, matched.
 */
final class ApiKeyStore {

    record StoredKey(String id, byte[] digest, Set<String> scopes) {
    }

    private final List<StoredKey> keys;
    /**
     * One digest per thread, reused: {@code MessageDigest.getInstance} per request costs a provider
     * lookup and a new engine, and a digest is not thread-safe. Per store, so a reload's old store
     * leaves with its digests.
     */
    private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(ApiKeyStore::newDigest);

    private ApiKeyStore(List<StoredKey> keys) {
        this.keys = List.copyOf(keys);
    }

    static ApiKeyStore load(String prefix, ApiKeyProperties properties) {
        List<StoredKey> keys = new ArrayList<>();
        for (int i = 0; i < properties.keys().size(); i++) {
            ApiKeyProperties.Key key = properties.keys().get(i);
            byte[] digest = key.sha256() != null ? HexFormat.of().parseHex(key.sha256().trim().toLowerCase())
                    : sha256(key.value());
            keys.add(new StoredKey(key.id(), digest, Set.copyOf(key.scopes() == null ? List.of() : key.scopes())));
        }
        for (int i = 0; i < properties.keyDirectories().size(); i++) {
            Path directory = Path.of(properties.keyDirectories().get(i));
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.sorted().toList()) {
                    String id = file.getFileName().toString();
                    if (id.startsWith(".") || !Files.isRegularFile(file)) {
                        continue;
                    }
                    String value = Files.readString(file, StandardCharsets.UTF_8).trim();
                    if (!value.isEmpty()) {
                        keys.add(new StoredKey(id, sha256(value), Set.of()));
                    }
                }
            }
            catch (IOException ex) {
                throw new PolicyConfigurationException(prefix + ".key-directories[" + i + "]",
                        "cannot read " + directory + ": " + ex, ex);
            }
        }
        return new ApiKeyStore(keys);
    }

    /** The key matching the presented one, or {@code null}. */
    StoredKey find(String presented) {
        // digest() resets the engine, so the next use starts clean.
        byte[] digest = digests.get().digest(presented.getBytes(StandardCharsets.UTF_8));
        StoredKey found = null;
        for (StoredKey key : keys) {
            if (MessageDigest.isEqual(key.digest(), digest) && found == null) {
                found = key;
            }
        }
        return found;
    }

    int size() {
        return keys.size();
    }

    /** The stored keys, in configuration order. */
    List<StoredKey> keys() {
        return keys;
    }

    static byte[] sha256(String value) {
        return newDigest().digest(value.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every JVM", ex);
        }
    }
}
