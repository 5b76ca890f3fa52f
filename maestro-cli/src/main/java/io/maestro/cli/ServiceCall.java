package io.maestro.cli;

import io.maestro.client.MaestroEndpoints;
import picocli.CommandLine.ParentCommand;

/** Base of the commands: the resolved endpoints of the parent {@code maestro} command. */
public abstract class ServiceCall implements Runnable {
    @ParentCommand
    protected MaestroCli parent;

    protected MaestroEndpoints endpoints() {
        return parent.endpoints.resolve();
    }

    protected Http registry() {
        return new Http("registry-service", endpoints().registry());
    }

    protected Http election() {
        return new Http("election-service", endpoints().election());
    }

    protected String kafka() {
        return parent.endpoints.kafkaBootstrapServers();
    }
}
