package dev.beesting.operator.decoy;

import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.nodeconfig.DecoySettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoy's two Secrets in the Beesting namespace: {@value #KEY_SECRET} (the AES key decoy tokens are sealed
 * with, and the previous one during a rotation) and {@value #TLS_SECRET} (its CA and certificate). The decoy creates
 * each when absent; the operator reads both from its cache and copies keys and CA into the node config.
 */
public final class DecoySecrets {
    /** The decoy's Service, in the Beesting namespace: the server of in-cluster decoy credentials. */
    public static final String SERVICE = "beesting-decoy";

    public static final String KEY_SECRET = "beesting-decoy-key";
    public static final String TLS_SECRET = "beesting-decoy-tls";
    public static final String KEY = "key";
    public static final String KEY_ID = "key-id";
    public static final String PREVIOUS_KEY = "previous-key";
    public static final String PREVIOUS_KEY_ID = "previous-key-id";
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String TLS_CERT = "tls.crt";
    public static final String TLS_KEY = "tls.key";

    private static final Logger LOG = LoggerFactory.getLogger(DecoySecrets.class);
    private static final DateTimeFormatter KEY_ID_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final Map<String, String> LABELS = Map.of(
            "app.kubernetes.io/name", "beesting",
            "app.kubernetes.io/component", "decoy",
            "app.kubernetes.io/managed-by", "beesting-decoy");

    private final KubernetesClient client;
    private final String namespace;
    private final SecureRandom random;
    private final Clock clock;

    public DecoySecrets(KubernetesClient client, String namespace, SecureRandom random, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.random = random;
        this.clock = clock;
    }

    /** The keys of the key Secret, current first; a missing or damaged key is left out, never guessed. */
    public static List<DecoyKey> keys(Secret secret) {
        List<DecoyKey> keys = new ArrayList<>();
        if (secret == null || secret.getData() == null) {
            return keys;
        }
        Map<String, String> data = secret.getData();
        key(data, KEY, KEY_ID).ifPresent(keys::add);
        key(data, PREVIOUS_KEY, PREVIOUS_KEY_ID).ifPresent(keys::add);
        return keys;
    }

    /** The CA certificate (PEM) of the TLS Secret. */
    public static Optional<String> caCertificate(Secret secret) {
        return text(secret, CA_CERT);
    }

    /** What agents need, from the two Secrets; empty until the key Secret holds a key. */
    public static Optional<DecoySettings> settings(Secret keySecret, Secret tlsSecret, String server, String cluster) {
        List<DecoyKey> keys = keys(keySecret);
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DecoySettings(
                server,
                caCertificate(tlsSecret).orElse(null),
                cluster,
                DecoySettings.Key.of(keys.getFirst()),
                keys.size() > 1 ? DecoySettings.Key.of(keys.get(1)) : null));
    }

    /** The keys, creating the key Secret with a fresh random key when there is none. */
    public List<DecoyKey> ensureKeys() {
        Secret existing = get(KEY_SECRET);
        if (existing == null) {
            DecoyKey key = DecoyKey.generate(KEY_ID_FORMAT.format(clock.instant()), random);
            Map<String, String> data = new LinkedHashMap<>();
            data.put(KEY, key.base64());
            data.put(KEY_ID, base64(key.id()));
            existing = createOrGet(secret(KEY_SECRET, data));
            LOG.info("decoy key created secret={} namespace={}", KEY_SECRET, namespace);
        }
        List<DecoyKey> keys = keys(existing);
        if (keys.isEmpty()) {
            throw new IllegalStateException("Secret " + namespace + "/" + KEY_SECRET + " holds no usable key under '"
                    + KEY + "' (32 bytes); fix or delete it so the decoy creates a new one");
        }
        return keys;
    }

    /** The keys as stored now, for a decoy that follows a rotation; empty when the Secret cannot be read. */
    public List<DecoyKey> currentKeys() {
        try {
            return keys(get(KEY_SECRET));
        } catch (KubernetesClientException e) {
            LOG.warn("decoy key not re-read secret={} error={}", KEY_SECRET, e.getMessage());
            return List.of();
        }
    }

    /**
     * The TLS material, creating it when absent; when the certificate lacks one of {@code dnsNames} a new one is
     * issued from the same CA, so kubeconfigs already planted keep trusting the decoy.
     */
    public DecoyTls ensureTls(List<String> dnsNames, List<String> ipAddresses) {
        Secret existing = get(TLS_SECRET);
        if (existing == null) {
            DecoyTls tls = DecoyTls.generate(dnsNames, ipAddresses, random);
            DecoyTls stored = tls(createOrGet(secret(TLS_SECRET, data(tls)))).orElse(tls);
            LOG.info("decoy certificate created secret={} names={}", TLS_SECRET, dnsNames);
            return stored;
        }
        DecoyTls tls = tls(existing)
                .orElseThrow(() -> new IllegalStateException("Secret " + namespace + "/" + TLS_SECRET + " lacks one"
                        + " of " + List.of(CA_CERT, CA_KEY, TLS_CERT, TLS_KEY) + "; delete it so the decoy issues a"
                        + " new CA (kubeconfigs planted before then stop trusting the decoy)"));
        if (tls.names(dnsNames)) {
            return tls;
        }
        DecoyTls reissued = tls.reissue(dnsNames, ipAddresses, random);
        existing.setData(data(reissued));
        client.secrets().inNamespace(namespace).resource(existing).update();
        LOG.info("decoy certificate reissued secret={} names={}", TLS_SECRET, dnsNames);
        return reissued;
    }

    private static Optional<DecoyTls> tls(Secret secret) {
        Optional<String> ca = text(secret, CA_CERT);
        Optional<String> caKey = text(secret, CA_KEY);
        Optional<String> cert = text(secret, TLS_CERT);
        Optional<String> key = text(secret, TLS_KEY);
        if (ca.isEmpty() || caKey.isEmpty() || cert.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DecoyTls(ca.get(), caKey.get(), cert.get(), key.get()));
    }

    private static Map<String, String> data(DecoyTls tls) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA_CERT, base64(tls.caCertificate()));
        data.put(CA_KEY, base64(tls.caKey()));
        data.put(TLS_CERT, base64(tls.certificate()));
        data.put(TLS_KEY, base64(tls.key()));
        return data;
    }

    private Secret get(String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    /** Creates the Secret; when another replica was quicker (409), that one's content wins. */
    private Secret createOrGet(Secret secret) {
        try {
            return client.secrets().inNamespace(namespace).resource(secret).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return get(secret.getMetadata().getName());
        }
    }

    private Secret secret(String name, Map<String, String> data) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(LABELS)
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    private static Optional<DecoyKey> key(Map<String, String> data, String keyField, String idField) {
        String value = data.get(keyField);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String id = Optional.ofNullable(data.get(idField))
                .map(DecoySecrets::decode)
                .map(String::strip)
                .orElse(keyField);
        try {
            return Optional.of(DecoyKey.of(id, value));
        } catch (IllegalArgumentException e) {
            LOG.warn("decoy key ignored field={} id={} error={}", keyField, id, e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> text(Secret secret, String field) {
        if (secret == null || secret.getData() == null || secret.getData().get(field) == null) {
            return Optional.empty();
        }
        return Optional.of(decode(secret.getData().get(field)));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
