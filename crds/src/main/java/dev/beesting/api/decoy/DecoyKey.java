package dev.beesting.api.decoy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key of the decoy credential scheme. The {@code id} names it in configuration and logs; the token
 * carries {@link #kid()}, a value derived from the key that looks like a Kubernetes signing key id and says nothing
 * about the key itself.
 */
public final class DecoyKey {
    public static final int LENGTH = 32;
    private static final byte[] KID_LABEL = "beesting decoy kid v1".getBytes(StandardCharsets.US_ASCII);

    private final String id;
    private final byte[] key;
    private final String kid;

    private DecoyKey(String id, byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("decoy key " + id + " must be " + LENGTH + " bytes, not " + key.length);
        }
        this.id = id == null ? "" : id;
        this.key = key.clone();
        this.kid = deriveKid(this.key);
    }

    /** A key from its base64 text (standard alphabet, as a Secret's data holds it). */
    public static DecoyKey of(String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("decoy key " + id + " is not base64", e);
        }
        return new DecoyKey(id, bytes);
    }

    public static DecoyKey of(String id, byte[] key) {
        return new DecoyKey(id, key);
    }

    /** A fresh random key. */
    public static DecoyKey generate(String id, SecureRandom random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new DecoyKey(id, bytes);
    }

    public String id() {
        return id;
    }

    /** The key id the token header carries: 43 base64url characters, like the kid of a service-account token. */
    public String kid() {
        return kid;
    }

    /** The key as base64 text, for a Secret or the node config. */
    public String base64() {
        return Base64.getEncoder().encodeToString(key);
    }

    SecretKeySpec secretKey() {
        return new SecretKeySpec(key, "AES");
    }

    private static String deriveKid(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(KID_LABEL));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DecoyKey that && id.equals(that.id) && MessageDigest.isEqual(key, that.key);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(key);
    }

    /** Never the key itself: these objects end up in log lines by accident. */
    @Override
    public String toString() {
        return "DecoyKey[id=" + id + ", kid=" + kid + "]";
    }
}
