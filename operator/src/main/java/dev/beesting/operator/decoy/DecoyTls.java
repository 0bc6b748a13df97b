package dev.beesting.operator.decoy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The decoy's TLS material: a CA (whose certificate agents put into kubeconfigs, so it must outlive every planted
 * credential) and a server certificate it signed for the decoy's names. Kept as PEM in the Secret
 * {@code beesting-decoy-tls}; named like a kubeadm cluster's so a client that prints it sees nothing unusual.
 *
 * @param caCertificate PEM
 * @param caKey PEM (PKCS#8) of the CA's key, kept so a new server certificate chains to the same CA
 * @param certificate PEM of the server certificate
 * @param key PEM (PKCS#8) of the server certificate's key
 */
public record DecoyTls(String caCertificate, String caKey, String certificate, String key) {
    private static final Duration VALIDITY = Duration.ofDays(3650);

    /** Issues a new CA and a server certificate for {@code dnsNames} and {@code ipAddresses}. */
    public static DecoyTls generate(List<String> dnsNames, List<String> ipAddresses, SecureRandom random) {
        try {
            KeyPair caKeys = keyPair(random);
            Instant now = Instant.now();
            X500Name caName = new X500Name("CN=kubernetes");
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(
                            caName, serial(random), from(now), until(now), caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(
                            Extension.keyUsage,
                            true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys.getPrivate());
            return issue(caCert, caKeys.getPrivate(), dnsNames, ipAddresses, random);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("decoy TLS material cannot be generated", e);
        }
    }

    /** A new server certificate for other names, from the same CA: kubeconfigs already planted keep working. */
    public DecoyTls reissue(List<String> dnsNames, List<String> ipAddresses, SecureRandom random) {
        try {
            return issue(certificate(caCertificate), privateKey(caKey), dnsNames, ipAddresses, random);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("decoy server certificate cannot be issued", e);
        }
    }

    private static DecoyTls issue(
            X509Certificate caCert,
            PrivateKey caKey,
            List<String> dnsNames,
            List<String> ipAddresses,
            SecureRandom random)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        Instant now = Instant.now();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        KeyPair serverKeys = keyPair(random);
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(
                        caCert,
                        serial(random),
                        from(now),
                        until(now),
                        new X500Name("CN=kube-apiserver"),
                        serverKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCert))
                .addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        X509Certificate serverCert = sign(server, caKey);
        return new DecoyTls(pem(caCert), pem(caKey), pem(serverCert), pem(serverKeys.getPrivate()));
    }

    /** A server-side TLS context presenting the certificate (with the CA, as a chain). */
    public SSLContext serverContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("decoy", privateKey(key), password, new X509Certificate[] {
                certificate(certificate), certificate(caCertificate)
            });
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("decoy TLS material is not usable", e);
        }
    }

    /** A client-side context trusting only the CA, for tests and health checks. */
    public SSLContext clientContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", certificate(caCertificate));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("decoy CA is not usable", e);
        }
    }

    /** Whether the server certificate names every one of {@code dnsNames}; a Service rename needs a new one. */
    public boolean names(List<String> dnsNames) {
        try {
            var sans = certificate(certificate).getSubjectAlternativeNames();
            List<String> present = new ArrayList<>();
            if (sans != null) {
                sans.forEach(san -> present.add(String.valueOf(san.get(1))));
            }
            return present.containsAll(dnsNames);
        } catch (GeneralSecurityException | IOException e) {
            return false;
        }
    }

    private static KeyPair keyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(64, random).abs().add(BigInteger.ONE);
    }

    private static Date from(Instant now) {
        // a little in the past: a client whose clock runs behind still accepts it
        return Date.from(now.minus(Duration.ofMinutes(5)));
    }

    private static Date until(Instant now) {
        return Date.from(now.plus(VALIDITY));
    }

    private static String pem(X509Certificate certificate) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        }
        return out.toString();
    }

    private static String pem(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return out.toString();
    }

    private static X509Certificate certificate(String pem) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            if (!(read instanceof org.bouncycastle.cert.X509CertificateHolder holder)) {
                throw new IOException("not a PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    private static PrivateKey privateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            if (read instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            }
            throw new IOException("not a PEM PKCS#8 private key");
        }
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "DecoyTls[ca=" + caCertificate.length() + " chars]";
    }
}
