package io.maestro.console;

import io.maestro.client.inventory.Inventory;
import io.maestro.client.registry.Maestro;
import io.maestro.client.registry.Registry;
import io.maestro.localstack.SuiteAuth;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the tests need of the suite {@link ConsoleSuiteResource} started: its tokens, registry and sign-in link. */
final class TestSuite {
    private TestSuite() {
    }

    static SuiteAuth auth() {
        return SuiteAuth.in(Path.of(System.getProperty(ConsoleSuiteResource.DIR_PROPERTY)).resolve("auth"));
    }

    static String adminToken() {
        return auth().adminToken();
    }

    static URI registry() {
        return URI.create(ConfigProvider.getConfig().getValue("maestro.console.registry-url", String.class));
    }

    static String loginCode() {
        return ConfigProvider.getConfig().getValue("maestro.console.login-link.code", String.class);
    }

    /** The suite's inventory, as the admin, found where the console finds it: in the registry. */
    static Inventory inventory() {
        String url = Registry.builder(registry()).token(adminToken()).build().service("maestro.inventory").instances().get(0).endpoint();
        return Inventory.builder(URI.create(url)).token(adminToken()).build();
    }

    /** The election service's URL, found in the registry. */
    static URI election() {
        return URI.create(Registry.builder(registry()).token(adminToken()).build().service("maestro.election").instances().get(0).endpoint());
    }

    /** Registers one instance of {@code service} (with the admin token) and waits until the registry has it. */
    static Maestro register(String service, String instanceId, Map<String, String> attributes) throws Exception {
        Maestro maestro = Maestro.builder(registry()).token(adminToken()).instanceId(instanceId).build();
        maestro.register(service, "http://127.0.0.1:9/" + instanceId, attributes);
        maestro.start(() -> { });
        maestro.started().get(20, TimeUnit.SECONDS);
        return maestro;
    }
}
