package io.maestro.localstack;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The certificate authority of a secured local stack: one CA (made on first use and kept in its directory) that
 * signs a certificate for each server on loopback (Kafka, Redis, PostgreSQL, the services' HTTPS), so every client
 * verifies the server against one file, {@code ca.crt}. Keys are EC P-256, written as unencrypted PKCS#8 PEM files
 * readable by their owner only; what would be a secret stays on this machine.
 */
public final class CertificateAuthority {
    public static final String CA_CERTIFICATE = "ca.crt";
    private static final String CA_KEY = "ca.key";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(825);
    /** Every name a loopback server answers to. */
    private static final GeneralNames LOOPBACK_NAMES = new GeneralNames(new GeneralName[]{
            new GeneralName(GeneralName.iPAddress, Ports.LOOPBACK), new GeneralName(GeneralName.dNSName, "localhost")});

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(Path dir, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /** The CA kept in {@code dir}, made when missing. */
    public static synchronized CertificateAuthority in(Path dir) {
        try {
            Files.createDirectories(dir);
            Path certFile = dir.resolve(CA_CERTIFICATE);
            Path keyFile = dir.resolve(CA_KEY);
            if (Files.exists(certFile) && Files.exists(keyFile)) {
                return new CertificateAuthority(dir, readCertificate(certFile), readKey(keyFile));
            }
            KeyPair pair = newKeyPair();
            X500Name name = new X500Name("CN=Maestro local CA " + Long.toHexString(new SecureRandom().nextLong()));
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate ca = sign(builder, pair.getPrivate());
            LocalStack.writeAtomically(keyFile, pem(pair.getPrivate()), true);
            LocalStack.writeAtomically(certFile, pem(ca));
            return new CertificateAuthority(dir, ca, pair.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the local certificate authority in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The CA's certificate (PEM): what every client of the secured stack trusts. */
    public Path certificate() {
        return dir.resolve(CA_CERTIFICATE);
    }

    /** A server certificate and key for loopback. */
    public record ServerCertificate(Path certificate, Path key, X509Certificate x509, PrivateKey privateKey) {
    }

    /**
     * A certificate for {@code name} on loopback (127.0.0.1 and localhost), signed by this CA: {@code <name>.crt}
     * (the certificate, then the CA's) and {@code <name>.key} (owner-only), made when missing.
     */
    public synchronized ServerCertificate server(String name) {
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        try {
            if (Files.exists(certFile) && Files.exists(keyFile)) {
                return new ServerCertificate(certFile, keyFile, readCertificate(certFile), readKey(keyFile));
            }
            KeyPair pair = newKeyPair();
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(SERVER_VALIDITY)),
                    new X500Name("CN=" + name), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, LOOPBACK_NAMES)
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate server = sign(builder, key);
            LocalStack.writeAtomically(keyFile, pem(pair.getPrivate()), true);
            LocalStack.writeAtomically(certFile, pem(server) + pem(certificate));
            return new ServerCertificate(certFile, keyFile, server, pair.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the certificate of " + name + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The certificate of {@code name} as a PKCS#12 key store {@code <name>.p12} (owner-only), for servers that want one. */
    public Path pkcs12(String name, char[] password) {
        ServerCertificate server = server(name);
        Path file = dir.resolve(name + ".p12");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(name, server.privateKey(), password, new Certificate[]{server.x509(), certificate});
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(partial)) {
                store.store(out, password);
            }
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the key store of " + name + ": " + e.getMessage(), e);
        }
    }

    /** A TLS context that trusts this CA only: for the stack's own probes and tests. */
    public javax.net.ssl.SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("maestro-local-ca", certificate);
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context trusting " + certificate() + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            // a private key as PKCS#8 ("BEGIN PRIVATE KEY"): what Kafka, Vert.x, Redis and PostgreSQL all read
            writer.writeObject(object instanceof PrivateKey privateKey
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(privateKey, null) : object);
        }
        return out.toString();
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) parser.readObject());
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }
}
