package io.maestro.cli;

import io.maestro.client.MaestroEndpoints;
import io.maestro.client.election.Election;
import io.maestro.client.http.ClientBuilder;
import io.maestro.client.inventory.Inventory;
import io.maestro.client.provisioner.Tinycloud;
import io.maestro.client.registry.Registry;
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

    /** Runs {@code call} on the SDK's read client of the registry; what fails is the CLI's one-line error. */
    protected <T> T registry(Function<Registry, T> call) {
        Registry client = withCredentials(Registry.builder(endpoints().registry())).build();
        return registry().typed(() -> call.apply(client));
    }

    /** Runs {@code call} on the SDK's read client of the election service; what fails is the CLI's one-line error. */
    protected <T> T election(Function<Election, T> call) {
        Election client = withCredentials(Election.builder(endpoints().election())).build();
        return election().typed(() -> call.apply(client));
    }

    /** Runs {@code call} on clusto's API of the SDK ({@link Inventory}); what fails is the CLI's one-line error. */
    protected <T> T inventory(Function<Inventory, T> call) {
        Inventory client = withCredentials(Inventory.builder(endpoints().inventory())).build();
        return inventory().typed(() -> call.apply(client));
    }

    /** {@link #inventory(Function)} whose changes of entities carry the command's {@code --note}. */
    protected <T> T inventory(io.maestro.cli.inventory.ChangeNote note, Function<Inventory, T> call) {
        return inventory(client -> call.apply(note.on(client)));
    }

    /** msc's unit of the SDK: a candidate of {@code group}, with this command's token and TLS trust (not started). */
    protected io.maestro.client.election.ElectionClient.Builder electionUnit(String group, String candidateId) {
        return withCredentials(io.maestro.client.election.ElectionClient.builder(endpoints().election(), group, candidateId));
    }

    /** tinycloud's API of the SDK for {@code cluster}; run its calls with {@link #provisioner(Supplier)}. */
    public Tinycloud.Builder tinycloud(String cluster) {
        return withCredentials(Tinycloud.builder(endpoints().provisioner(), cluster));
    }

    /** Runs a call of the SDK's provisioner client; what fails is the CLI's one-line error, as for {@link #provisioner()}. */
    public <T> T provisioner(Supplier<T> call) {
        return provisioner().typed(call);
    }

    /** An SDK client's builder with this command's token and TLS trust, as its {@link Http} calls have. */
    private <B extends ClientBuilder<B>> B withCredentials(B builder) {
        Credentials.Token bearer = token();
        return builder.token(bearer == null ? null : bearer.value()).httpClient(rootEndpoints().httpClient());
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
