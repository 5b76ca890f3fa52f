package io.maestro.election;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Test-only: when a test profile sets {@value #PROPERTY}, the HTTP server's sockets get that send buffer (fixed, not
 * grown by the kernel), so a client that stops reading stalls the service's writes after a few kilobytes rather than
 * the megabytes loopback allows. Without the property nothing changes.
 */
@ApplicationScoped
public class SmallSendBuffer implements HttpServerOptionsCustomizer {
    static final String PROPERTY = "test.http.send-buffer-size";

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        ConfigProvider.getConfig().getOptionalValue(PROPERTY, Integer.class).ifPresent(options::setSendBufferSize);
    }
}
