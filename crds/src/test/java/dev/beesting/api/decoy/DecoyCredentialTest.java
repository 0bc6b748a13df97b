package dev.beesting.api.decoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.decoy.DecoyCredential.Invalid;
import dev.beesting.api.decoy.DecoyCredential.Reason;
import dev.beesting.api.decoy.DecoyCredential.Valid;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecoyCredentialTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DecoyKey KEY = DecoyKey.generate("k2", RANDOM);
    private static final DecoyKey PREVIOUS = DecoyKey.generate("k1", RANDOM);
    private static final DecoyOrigin ORIGIN = new DecoyOrigin(
            "prod-eu",
            "worker-7",
            "cms",
            "simplecms-6c4bfc97cd-wdnhv",
            "0b7c4e4a-3f0e-4a53-9d6e-2f9a8c1d5e77",
            "cms",
            "/root/.kube/config",
            "fake-kubeconfig",
            "critical",
            Instant.parse("2026-11-30T17:00:00Z"));

    @Test
    void roundTripNamesTheOriginAndTheKey() {
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        assertThat(DecoyCredential.decode(token, List.of(KEY, PREVIOUS))).isEqualTo(new Valid(ORIGIN, "k2"));
    }

    @Test
    void looksLikeAnRs256ServiceAccountToken() {
        String[] parts = DecoyCredential.encode(ORIGIN, KEY, RANDOM).split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(text(parts[0])).isEqualTo("{\"alg\":\"RS256\",\"kid\":\"" + KEY.kid() + "\"}");
        assertThat(KEY.kid()).hasSize(43);
        assertThat(text(parts[1]))
                .startsWith("{\"aud\":[\"https://kubernetes.default.svc.cluster.local\"]")
                .contains("\"iat\":" + ORIGIN.issuedAt().getEpochSecond(), "system:serviceaccount:kube-system:");
        // a 2048-bit RSA signature: 256 bytes, 342 characters
        assertThat(parts[2]).hasSize(342);
    }

    @Test
    void noOriginFieldIsReadableInTheTokenText() {
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        String decoded = text(token.split("\\.")[0]) + text(token.split("\\.")[1]);
        for (String field : List.of(
                ORIGIN.cluster(),
                ORIGIN.node(),
                ORIGIN.namespace(),
                ORIGIN.pod(),
                ORIGIN.podUid(),
                ORIGIN.container(),
                ORIGIN.path(),
                ORIGIN.policy())) {
            assertThat(token).doesNotContain(field);
            assertThat(decoded).doesNotContain(field);
        }
        String third = token.split("\\.")[2];
        assertThat(new String(Base64.getUrlDecoder().decode(third), StandardCharsets.ISO_8859_1))
                .doesNotContain("worker-7", "simplecms", "/root/.kube");
    }

    @Test
    void twoTokensOfOneOriginDiffer() {
        assertThat(DecoyCredential.encode(ORIGIN, KEY, RANDOM))
                .isNotEqualTo(DecoyCredential.encode(ORIGIN, KEY, RANDOM));
    }

    @Test
    void previousKeyStillReadsItsTokens() {
        String old = DecoyCredential.encode(ORIGIN, PREVIOUS, RANDOM);
        assertThat(DecoyCredential.decode(old, List.of(KEY, PREVIOUS))).isEqualTo(new Valid(ORIGIN, "k1"));
        assertThat(DecoyCredential.decode(old, List.of(KEY))).isEqualTo(new Invalid(Reason.UNKNOWN_KEY));
    }

    @Test
    void anyChangedCharacterMakesTheTokenInvalid() {
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            char other = c == 'A' ? 'B' : 'A';
            String changed = token.substring(0, i) + other + token.substring(i + 1);
            assertThat(DecoyCredential.decode(changed, List.of(KEY, PREVIOUS)))
                    .as("character %d changed", i)
                    .isInstanceOf(Invalid.class);
        }
    }

    @Test
    void anyFlippedBitOfTheSealIsTampering() {
        String[] parts = DecoyCredential.encode(ORIGIN, KEY, RANDOM).split("\\.");
        byte[] seal = Base64.getUrlDecoder().decode(parts[2]);
        for (int i = 0; i < seal.length; i++) {
            byte[] flipped = seal.clone();
            flipped[i] ^= 0x01;
            String token = parts[0] + "." + parts[1] + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
            assertThat(DecoyCredential.decode(token, List.of(KEY))).isEqualTo(new Invalid(Reason.TAMPERED));
        }
    }

    @Test
    void segmentsOfTwoTokensCannotBeCombined() {
        String[] a = DecoyCredential.encode(ORIGIN, KEY, RANDOM).split("\\.");
        String[] b = DecoyCredential.encode(ORIGIN, KEY, RANDOM).split("\\.");
        assertThat(DecoyCredential.decode(a[0] + "." + b[1] + "." + a[2], List.of(KEY)))
                .isEqualTo(new Invalid(Reason.TAMPERED));
    }

    @Test
    void aTokenOfAnotherKeyIsNotOurs() {
        String token = DecoyCredential.encode(ORIGIN, DecoyKey.generate("k2", RANDOM), RANDOM);
        assertThat(DecoyCredential.decode(token, List.of(KEY, PREVIOUS))).isEqualTo(new Invalid(Reason.UNKNOWN_KEY));
    }

    @Test
    void aTokenWhoseHeaderClaimsOurKeyButWasSealedWithAnotherIsTampered() {
        DecoyKey forger = DecoyKey.generate("forger", RANDOM);
        String[] forged = DecoyCredential.encode(ORIGIN, forger, RANDOM).split("\\.");
        String[] ours = DecoyCredential.encode(ORIGIN, KEY, RANDOM).split("\\.");
        assertThat(DecoyCredential.decode(ours[0] + "." + forged[1] + "." + forged[2], List.of(KEY)))
                .isEqualTo(new Invalid(Reason.TAMPERED));
    }

    @Test
    void truncatedOversizedAndGarbageTokensAreInvalidWithoutThrowing() {
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        List<String> hostile = List.of(
                "",
                ".",
                "..",
                "...",
                "a.b.c",
                "a.b.c.d",
                token.substring(0, token.length() - 1),
                token.substring(0, token.lastIndexOf('.')),
                token + "A",
                token + "=",
                token + ".",
                token.replace('-', '+'),
                "Bearer " + token,
                " " + token,
                "\u0000\u0000.\u0000.\u0000",
                "é.é.é",
                "eyJhbGciOiJub25lIn0.e30.");
        for (String input : hostile) {
            assertThat(DecoyCredential.decode(input, List.of(KEY))).as(input).isInstanceOf(Invalid.class);
        }
        assertThat(DecoyCredential.decode(null, List.of(KEY))).isEqualTo(new Invalid(Reason.MALFORMED));
        assertThat(DecoyCredential.decode("A".repeat(DecoyCredential.MAX_TOKEN_LENGTH + 1), List.of(KEY)))
                .isEqualTo(new Invalid(Reason.TOO_LONG));
        assertThat(DecoyCredential.decode(token, List.of())).isEqualTo(new Invalid(Reason.UNKNOWN_KEY));
    }

    @Test
    void randomInputNeverThrows() {
        SecureRandom random = new SecureRandom(new byte[] {7});
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(700);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(DecoyCredential.decode(text.toString(), List.of(KEY))).isInstanceOf(Invalid.class);
        }
    }

    @Test
    void longFieldsAreShortenedToFitAPlausibleSignatureKeepingThePathsEnd() {
        String path = "/" + "d".repeat(4000) + "/config";
        DecoyOrigin huge = new DecoyOrigin(
                "c",
                "n".repeat(253),
                "ns",
                "p".repeat(253),
                "uid",
                "c".repeat(63),
                path,
                "policy",
                "high",
                ORIGIN.issuedAt());
        String token = DecoyCredential.encode(huge, KEY, RANDOM);
        assertThat(Base64.getUrlDecoder().decode(token.split("\\.")[2])).hasSize(512);
        DecoyOrigin read = ((Valid) DecoyCredential.decode(token, List.of(KEY))).origin();
        assertThat(read.path()).endsWith("/config");
        assertThat(read.namespace()).isEqualTo("ns");
        assertThat(read.pod()).startsWith("ppp");
        assertThat(read.policy()).isEqualTo("policy");
        assertThat(read.severity()).isEqualTo("high");
    }

    @Test
    void keysNeverPrintThemselves() {
        assertThat(KEY.toString()).doesNotContain(KEY.base64()).contains("k2");
        assertThat(DecoyKey.of("k2", KEY.base64())).isEqualTo(KEY);
    }

    private static String text(String segment) {
        return new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
    }
}
