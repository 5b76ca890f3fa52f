package io.maestro.support.connections;

import io.maestro.localstack.CertificateAuthority;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TLS endpoint with a certificate from a given CA, for real client handshakes against it: answers nothing after the
 * handshake. With {@code postgres}, it first answers PostgreSQL's SSLRequest with 'S', as a TLS PostgreSQL does.
 */
final class TlsServer implements AutoCloseable {
    private final ServerSocket server;
    private final SSLContext context;
    private final boolean postgres;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "tls-server");
        thread.setDaemon(true);
        return thread;
    });

    TlsServer(CertificateAuthority ca, String bindAddress, boolean postgres) throws IOException, GeneralSecurityException {
        CertificateAuthority.ServerCertificate certificate = ca.server("tls-server");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "changeit".toCharArray();
        keys.setKeyEntry("server", certificate.privateKey(), password, new Certificate[]{certificate.x509()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        this.postgres = postgres;
        server = new ServerSocket(0, 50, InetAddress.getByName(bindAddress));
        connections.submit(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.submit(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        try (plain) {
            if (postgres) {
                new DataInputStream(plain.getInputStream()).readFully(new byte[8]); // SSLRequest
                plain.getOutputStream().write('S');
                plain.getOutputStream().flush();
            }
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), false)) {
                tls.setUseClientMode(false);
                tls.startHandshake();
                tls.getInputStream().read(); // until the client gives up
            }
        } catch (IOException expected) {
            // the client refused our certificate: that is the point
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
