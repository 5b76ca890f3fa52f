package io.maestro.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The four Maestro services, run from their Quarkus fast-jars in a checkout, pointed at a local stack. */
public final class Suite implements AutoCloseable {
    /**
     * A service of the suite: its module, preferred port, its database when it keeps durable state, and the
     * variable naming its data directory when it keeps files (kept under the suite's directory).
     */
    public record Service(String name, int port, String database, String dataDirVariable) {
        /** {@code registry-service} -> {@code MAESTRO_REGISTRY_URL}, the variable clients read. */
        public String urlVariable() {
            return "MAESTRO_" + name.replace("-service", "").toUpperCase() + "_URL";
        }
    }

    public static final List<Service> SERVICES = List.of(
            new Service("registry-service", 8081, null, null),
            new Service("election-service", 8082, null, null),
            new Service("inventory-service", 8083, "maestro_inventory", null),
            new Service("provisioner-service", 8084, "maestro_provisioner", "PROVISIONER_DATA_DIR"));

    private final Map<Service, ServiceProcess> processes = new LinkedHashMap<>();

    /**
     * @param repo      the checkout whose {@code <service>/target/quarkus-app/quarkus-run.jar} are run
     * @param dir       each service gets {@code dir/<service>/} for its log
     * @param freePorts any free ports instead of 8081-8084 (or the next free ones)
     */
    public Suite(LocalStack stack, Path repo, Path dir, boolean freePorts) {
        for (Service service : SERVICES) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
            env.put("QUARKUS_REDIS_HOSTS", stack.redis().url());
            int port = Ports.preferredOrNext(freePorts ? 0 : service.port());
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            if (service.database() != null) {
                env.put("QUARKUS_DATASOURCE_REACTIVE_URL", stack.postgres().reactiveUrl(service.database()));
                env.put("QUARKUS_DATASOURCE_JDBC_URL", stack.postgres().jdbcUrl(service.database()));
                env.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER);
                env.put("QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD);
            }
            if (service.dataDirVariable() != null) {
                env.put(service.dataDirVariable(), dir.resolve(service.name()).resolve("data").toString());
            }
            Path jar = repo.resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar");
            processes.put(service, new ServiceProcess(service.name(), dir.resolve(service.name()), port, jar, env));
        }
    }

    /** Starts the four services in parallel and waits until every {@code /q/health/ready} is UP. */
    public Suite start(Duration timeout) throws IOException {
        try {
            ManagedServer.startAll(services(), timeout);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    public List<ServiceProcess> services() {
        return new ArrayList<>(processes.values());
    }

    public ServiceProcess service(String name) {
        return processes.entrySet().stream().filter(e -> e.getKey().name().equals(name)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** {@code MAESTRO_<SERVICE>_URL} for each service. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        processes.forEach((service, process) -> env.put(service.urlVariable(), process.url()));
        return env;
    }

    @Override
    public void close() {
        services().parallelStream().forEach(ManagedServer::stop);
    }
}
