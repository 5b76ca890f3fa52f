package io.maestro.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateAuthorityTest {

    @Test
    void serverCertificatesAreSignedByTheKeptCaForLoopbackWithOwnerOnlyKeys(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.in(dir);
        CertificateAuthority.ServerCertificate kafka = ca.server("kafka");

        X509Certificate caCert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(ca.certificate()));
        kafka.x509().verify(caCert.getPublicKey());
        assertThat(kafka.x509().getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
                .containsExactlyInAnyOrder("127.0.0.1", "localhost");
        assertThat(caCert.getBasicConstraints()).isZero();
        assertThat(kafka.x509().getBasicConstraints()).isEqualTo(-1);
        assertThat(Files.readString(kafka.certificate())).as("leaf then CA").contains("BEGIN CERTIFICATE")
                .satisfies(pem -> assertThat(pem.split("BEGIN CERTIFICATE")).hasSize(3));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kafka.key()))).isEqualTo("rw-------");
        assertThat(Files.readString(kafka.key())).startsWith("-----BEGIN PRIVATE KEY-----");

        CertificateAuthority again = CertificateAuthority.in(dir);
        assertThat(again.server("kafka").x509()).as("kept, not made again").isEqualTo(kafka.x509());
        assertThat(List.of(again.server("redis").x509().getIssuerX500Principal())).containsExactly(caCert.getSubjectX500Principal());
    }
}
