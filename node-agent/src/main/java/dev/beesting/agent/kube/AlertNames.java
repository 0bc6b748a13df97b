package dev.beesting.agent.kube;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The name an alert takes when its usual name is squatted (an object with another spec already holds it): the usual
 * name plus a short MAC of it under a per-agent random key. Deterministic for this agent, so a restarted agent finds
 * the object again; unpredictable for anyone who cannot read the agent's state dir, so it cannot be squatted ahead.
 */
final class AlertNames {
    static final String KEY_FILE = "alert-names.key";
    private static final Logger LOG = LoggerFactory.getLogger(AlertNames.class);
    private static final int KEY_BYTES = 32;
    private static final int PREFIX_MAX = 54;

    private final byte[] key;

    AlertNames(byte[] key) {
        this.key = key.clone();
    }

    /** The key kept in the state dir, made on first use; a fresh in-memory key when the dir cannot hold one. */
    static AlertNames inStateDir(Path stateDir) {
        Path file = stateDir.resolve(KEY_FILE);
        try {
            byte[] saved = Files.readAllBytes(file);
            if (saved.length == KEY_BYTES) {
                return new AlertNames(saved);
            }
            LOG.warn("alert name key has the wrong size, making a new one file={} bytes={}", file, saved.length);
        } catch (NoSuchFileException e) {
            // first run: make one below
        } catch (IOException e) {
            LOG.warn("alert name key cannot be read, making a new one file={} error={}", file, e.toString());
        }
        byte[] fresh = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        try {
            save(file, fresh);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn(
                    "alert name key cannot be saved, squatted alerts get other names after a restart file={} error={}",
                    file,
                    e.toString());
        }
        return new AlertNames(fresh);
    }

    private static void save(Path file, byte[] key) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(KEY_FILE + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(temp, key);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The other name for {@code usual}: at most 63 characters, like the usual one. */
    String alternate(String usual) {
        String prefix = usual.length() > PREFIX_MAX ? usual.substring(0, PREFIX_MAX) : usual;
        prefix = prefix.replaceAll("-+$", "");
        return prefix + "-" + mac(usual);
    }

    private String mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
