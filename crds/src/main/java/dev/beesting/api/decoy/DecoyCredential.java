package dev.beesting.api.decoy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Mints and reads decoy bearer tokens. A token has the three base64url segments of a Kubernetes service-account
 * token: an RS256 header with a key id, claims of a plausible kube-system service account that say nothing about
 * where the token was planted, and in place of the RSA signature the {@link DecoyOrigin} sealed with AES-256-GCM
 * (nonce, ciphertext, tag), padded to the length of a 2048- or 4096-bit RSA signature. The first two segments are
 * the cipher's associated data, so none of the three can be swapped or edited without the tag failing.
 *
 * <p>{@link #decode} reads hostile input: it is bounded, never throws, and tells only why a token is not valid.
 */
public final class DecoyCredential {
    /** Longer bearer tokens are refused unread. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final int VERSION = 1;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int OVERHEAD = NONCE_LENGTH + TAG_BITS / 8;
    /** Signature lengths of RS256 with 2048-, 3072- and 4096-bit keys. */
    private static final int[] SEAL_LENGTHS = {256, 384, 512};

    private static final int MAX_CLAIMS_LENGTH = 2048;
    private static final int FIELDS = 9;
    private static final int PATH_FIELD = 6;
    private static final int FIXED = 1 + Long.BYTES + FIELDS * Short.BYTES;
    private static final byte[] AAD_PREFIX = "beesting-decoy-v1.".getBytes(StandardCharsets.US_ASCII);
    private static final String AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    private static final long ONE_YEAR = 31_536_000;
    /** Controller accounts a real cluster has; a token of one is worth trying, which is the point. */
    private static final List<String> ACCOUNTS = List.of(
            "clusterrole-aggregation-controller",
            "deployment-controller",
            "generic-garbage-collector",
            "namespace-controller",
            "replicaset-controller");

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private DecoyCredential() {}

    /** What reading a presented token found. */
    public sealed interface Result permits Valid, Invalid {}

    /** A token Beesting minted with one of the keys it was given; {@code keyId} names that key. */
    public record Valid(DecoyOrigin origin, String keyId) implements Result {}

    /** Not a token of ours, or one that was altered. */
    public record Invalid(Reason reason) implements Result {}

    /** Why a token is not valid; never more precise than that, it goes into metrics and logs. */
    public enum Reason {
        /** Longer than {@link #MAX_TOKEN_LENGTH}. */
        TOO_LONG,
        /** Not three canonical base64url segments of the expected shape. */
        MALFORMED,
        /** The header names no key this reader holds. */
        UNKNOWN_KEY,
        /** The key is known but the authentication tag does not match: edited, swapped or forged. */
        TAMPERED
    }

    /** Mints a token carrying {@code origin}, sealed with {@code key}. */
    public static String encode(DecoyOrigin origin, DecoyKey key, SecureRandom random) {
        String header = B64URL.encodeToString(header(key).getBytes(StandardCharsets.UTF_8));
        String claims = B64URL.encodeToString(claims(origin.issuedAt(), random).getBytes(StandardCharsets.UTF_8));
        byte[] plain = plaintext(origin);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            cipher.updateAAD(aad(header, claims));
            byte[] sealed = cipher.doFinal(plain);
            byte[] seal = ByteBuffer.allocate(NONCE_LENGTH + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return header + "." + claims + "." + B64URL.encodeToString(seal);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Reads a presented token with the keys a reader holds (current first, then previous). Never throws: anything
     * that is not a token minted with one of {@code keys} is {@link Invalid}.
     */
    public static Result decode(String token, List<DecoyKey> keys) {
        try {
            return decodeChecked(token, keys);
        } catch (RuntimeException e) {
            // every check below is explicit; this only keeps a missed corner from becoming a 500 or a dead thread
            return new Invalid(Reason.MALFORMED);
        }
    }

    private static Result decodeChecked(String token, List<DecoyKey> keys) {
        if (token == null || token.isEmpty()) {
            return new Invalid(Reason.MALFORMED);
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return new Invalid(Reason.TOO_LONG);
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            return new Invalid(Reason.MALFORMED);
        }
        String header = token.substring(0, first);
        String claims = token.substring(first + 1, second);
        Optional<byte[]> claimBytes = canonical(claims);
        Optional<byte[]> seal = canonical(token.substring(second + 1));
        if (canonical(header).isEmpty()
                || claimBytes.isEmpty()
                || claimBytes.get().length > MAX_CLAIMS_LENGTH
                || seal.isEmpty()
                || !sealLength(seal.get().length)) {
            return new Invalid(Reason.MALFORMED);
        }
        for (DecoyKey key : keys) {
            String expected = B64URL.encodeToString(header(key).getBytes(StandardCharsets.UTF_8));
            if (expected.equals(header)) {
                return open(key, header, claims, seal.get());
            }
        }
        return new Invalid(Reason.UNKNOWN_KEY);
    }

    private static Result open(DecoyKey key, String header, String claims, byte[] seal) {
        byte[] nonce = java.util.Arrays.copyOf(seal, NONCE_LENGTH);
        byte[] plain;
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
            cipher.updateAAD(aad(header, claims));
            plain = cipher.doFinal(seal, NONCE_LENGTH, seal.length - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            return new Invalid(Reason.TAMPERED);
        } catch (GeneralSecurityException e) {
            return new Invalid(Reason.MALFORMED);
        }
        return parse(plain).<Result>map(origin -> new Valid(origin, key.id())).orElse(new Invalid(Reason.MALFORMED));
    }

    private static String header(DecoyKey key) {
        return "{\"alg\":\"RS256\",\"kid\":\"" + key.kid() + "\"}";
    }

    private static String claims(Instant issuedAt, SecureRandom random) {
        long iat = issuedAt.getEpochSecond();
        String account = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
        return "{\"aud\":[\"" + AUDIENCE + "\"],\"exp\":" + (iat + ONE_YEAR) + ",\"iat\":" + iat + ",\"iss\":\""
                + AUDIENCE + "\",\"jti\":\"" + uuid(random) + "\",\"kubernetes.io\":{\"namespace\":\"kube-system\","
                + "\"serviceaccount\":{\"name\":\"" + account + "\",\"uid\":\"" + uuid(random) + "\"}},\"nbf\":" + iat
                + ",\"sub\":\"system:serviceaccount:kube-system:" + account + "\"}";
    }

    private static String uuid(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[6] = (byte) (bytes[6] & 0x0f | 0x40);
        bytes[8] = (byte) (bytes[8] & 0x3f | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }

    private static byte[] aad(String header, String claims) {
        byte[] rest = (header + "." + claims).getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(AAD_PREFIX.length + rest.length)
                .put(AAD_PREFIX)
                .put(rest)
                .array();
    }

    private static Cipher cipher(int mode, DecoyKey key, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }

    /** Origin fields, shortened until they fit the largest seal; a path keeps its end, other fields their start. */
    private static byte[] plaintext(DecoyOrigin origin) {
        List<String> fields = new ArrayList<>(List.of(
                origin.cluster(),
                origin.node(),
                origin.namespace(),
                origin.pod(),
                origin.podUid(),
                origin.container(),
                origin.path(),
                origin.policy(),
                origin.severity()));
        int budget = SEAL_LENGTHS[SEAL_LENGTHS.length - 1] - OVERHEAD - FIXED;
        while (utf8Length(fields) > budget) {
            int longest = 0;
            for (int i = 1; i < FIELDS; i++) {
                if (utf8(fields.get(i)).length > utf8(fields.get(longest)).length) {
                    longest = i;
                }
            }
            String field = fields.get(longest);
            int keep = field.length() / 2;
            fields.set(
                    longest, longest == PATH_FIELD ? field.substring(field.length() - keep) : field.substring(0, keep));
        }
        int needed = FIXED + utf8Length(fields) + OVERHEAD;
        int sealLength = SEAL_LENGTHS[SEAL_LENGTHS.length - 1];
        for (int length : SEAL_LENGTHS) {
            if (needed <= length) {
                sealLength = length;
                break;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(sealLength - OVERHEAD);
        out.put((byte) VERSION).putLong(origin.issuedAt().getEpochSecond());
        for (String field : fields) {
            byte[] bytes = utf8(field);
            out.putShort((short) bytes.length).put(bytes);
        }
        return out.array(); // the rest stays zero: padding
    }

    private static Optional<DecoyOrigin> parse(byte[] plain) {
        ByteBuffer in = ByteBuffer.wrap(plain);
        if (plain.length < FIXED || in.get() != VERSION) {
            return Optional.empty();
        }
        long issued = in.getLong();
        String[] fields = new String[FIELDS];
        for (int i = 0; i < FIELDS; i++) {
            if (in.remaining() < Short.BYTES) {
                return Optional.empty();
            }
            int length = Short.toUnsignedInt(in.getShort());
            if (length > in.remaining()) {
                return Optional.empty();
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            fields[i] = new String(bytes, StandardCharsets.UTF_8);
        }
        while (in.hasRemaining()) {
            if (in.get() != 0) {
                return Optional.empty();
            }
        }
        if (issued < 0 || issued > Instant.MAX.getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(new DecoyOrigin(
                fields[0],
                fields[1],
                fields[2],
                fields[3],
                fields[4],
                fields[5],
                fields[6],
                fields[7],
                fields[8],
                Instant.ofEpochSecond(issued)));
    }

    /** The bytes of a base64url segment without padding, only if that is the one way to write them. */
    private static Optional<byte[]> canonical(String segment) {
        if (segment.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean alphabet =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!alphabet) {
                return Optional.empty();
            }
        }
        if (segment.length() % 4 == 1) {
            return Optional.empty();
        }
        byte[] bytes = B64URL_DECODER.decode(segment);
        // a decoder ignores the unused low bits of the last character; a flipped bit there must not pass
        return B64URL.encodeToString(bytes).equals(segment) ? Optional.of(bytes) : Optional.empty();
    }

    private static boolean sealLength(int length) {
        for (int allowed : SEAL_LENGTHS) {
            if (length == allowed) {
                return true;
            }
        }
        return false;
    }

    private static int utf8Length(List<String> fields) {
        return fields.stream().mapToInt(f -> utf8(f).length).sum();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
