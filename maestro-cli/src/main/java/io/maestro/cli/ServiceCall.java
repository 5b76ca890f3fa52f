package io.maestro.cli;

import io.maestro.client.MaestroEndpoints;
import io.maestro.client.inventory.Inventory;
import io.maestro.client.provisioner.Tinycloud;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Base of the commands: the endpoints and the token resolved by the root {@code maestro} command, however deep the
 * command sits.
 */
public abstract class ServiceCall implements Runnable {
    @Spec
    protected CommandSpec spec;

    private Credentials.Token token;
    private boolean tokenResolved;

    private Endpoints rootEndpoints() {
        return ((MaestroCli) spec.root().userObject()).endpoints;
    }

    protected MaestroEndpoints endpoints() {
        return rootEndpoints().resolve();
    }

    public Http registry() {
        return new Http("registry-service", endpoints().registry(), token(), rootEndpoints().httpClient());
    }

    public Http election() {
        return new Http("election-service", endpoints().election(), token(), rootEndpoints().httpClient());
    }

    public Http inventory() {
        return new Http("inventory-service", endpoints().inventory(), token(), rootEndpoints().httpClient());
    }

    /**
     * Runs {@code call} on clusto's API of the SDK ({@link Inventory}) with this command's inventory URL, token and
     * TLS trust; what fails is the CLI's one-line error, as for {@link #inventory()}.
     */
    protected <T> T inventory(Function<Inventory, T> call) {
        Credentials.Token bearer = token();
        Inventory client = Inventory.builder(endpoints().inventory()).token(bearer == null ? null : bearer.value())
                .httpClient(rootEndpoints().httpClient()).build();
        return inventory().typed(() -> call.apply(client));
    }

    /** tinycloud's API of the SDK for {@code cluster}, with this command's provisioner URL, token and TLS trust. */
    public Tinycloud.Builder tinycloud(String cluster) {
        Credentials.Token bearer = token();
        return Tinycloud.builder(endpoints().provisioner(), cluster).token(bearer == null ? null : bearer.value())
                .httpClient(rootEndpoints().httpClient());
    }

    /** Runs a call of the SDK's provisioner client; what fails is the CLI's one-line error, as for {@link #provisioner()}. */
    public <T> T provisioner(Supplier<T> call) {
        return provisioner().typed(call);
    }

    public Http provisioner() {
        return new Http("provisioner-service", endpoints().provisioner(), token(), rootEndpoints().httpClient());
    }

    /** The Kafka client settings: the --kafka-config file's (or MAESTRO_KAFKA_CONFIG's) with the bootstrap servers. */
    protected KafkaSettings kafka() {
        return rootEndpoints().kafkaSettings();
    }

    /** The bearer token for the services, resolved once per command (see {@link Credentials}); null when there is none. */
    protected Credentials.Token token() {
        if (!tokenResolved) {
            token = rootEndpoints().token().orElse(null);
            tokenResolved = true;
        }
        return token;
    }

    /** The suite's data directory ({@code $MAESTRO_HOME}, else {@code .maestro} here). */
    protected Path home() {
        return rootEndpoints().home();
    }

    /** An environment variable. */
    protected String variable(String name) {
        return rootEndpoints().variable(name);
    }
}
