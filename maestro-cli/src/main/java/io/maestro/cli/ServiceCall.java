package io.maestro.cli;

import io.maestro.client.MaestroEndpoints;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the commands: the endpoints resolved by the root {@code maestro} command, however deep the command sits. */
public abstract class ServiceCall implements Runnable {
    @Spec
    protected CommandSpec spec;

    private Endpoints rootEndpoints() {
        return ((MaestroCli) spec.root().userObject()).endpoints;
    }

    protected MaestroEndpoints endpoints() {
        return rootEndpoints().resolve();
    }

    public Http registry() {
        return new Http("registry-service", endpoints().registry());
    }

    public Http election() {
        return new Http("election-service", endpoints().election());
    }

    public Http inventory() {
        return new Http("inventory-service", endpoints().inventory());
    }

    public Http provisioner() {
        return new Http("provisioner-service", endpoints().provisioner());
    }

    protected String kafka() {
        return rootEndpoints().kafkaBootstrapServers();
    }
}
