package io.maestro.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four Maestro services, run from their Quarkus fast-jars in a checkout, pointed at a local stack: one replica
 * each for {@code ./maestro up}, or several each (on any free ports, sharing the stack) to run them as a fleet would.
 * Every replica registers itself in the registry as {@code maestro.<service>} at its own URL.
 */
public final class Suite implements AutoCloseable {
    /**
     * A service of the suite: its module, preferred port, its database when it keeps durable state, and the
     * variable naming its data directory when it keeps files (kept under the suite's directory, shared by replicas).
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

    /** The web console's preferred port. */
    public static final int CONSOLE_PORT = 8080;

    private final Map<Service, List<ServiceProcess>> processes = new LinkedHashMap<>();
    private final LocalStack stack;
    private final SuiteAuth auth;
    private final Path repo;
    private final Path dir;
    private final String registryUrls;
    private ServiceProcess console;

    /**
     * One replica of each service, for tests: C1-only JVMs (see {@link #Suite(LocalStack, Path, Path, boolean, int, Map, boolean)}).
     *
     * @param repo      the checkout whose {@code <service>/target/quarkus-app/quarkus-run.jar} are run
     * @param dir       each service gets {@code dir/<service>/} for its log
     * @param freePorts any free ports instead of 8081-8084 (or the next free ones)
     */
    public Suite(LocalStack stack, Path repo, Path dir, boolean freePorts) {
        this(stack, repo, dir, freePorts, 1, Map.of());
    }

    /**
     * For tests: C1-only JVMs (see {@link #Suite(LocalStack, Path, Path, boolean, int, Map, boolean)}).
     *
     * @param replicas    replicas of each service; all but the first of each get any free port
     * @param environment extra variables for every replica (e.g. {@code PROVISIONER_COMMAND_LEASE})
     */
    public Suite(LocalStack stack, Path repo, Path dir, boolean freePorts, int replicas, Map<String, String> environment) {
        this(stack, repo, dir, freePorts, replicas, environment, true);
    }

    /**
     * @param fastStart run the services' JVMs with the C1 compiler only: up sooner, slower for good. Right for tests,
     *                  where start time is all that matters; {@code ./maestro up} runs the normal JIT.
     */
    public Suite(LocalStack stack, Path repo, Path dir, boolean freePorts, int replicas, Map<String, String> environment,
                 boolean fastStart) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1");
        }
        this.stack = stack;
        this.repo = repo;
        this.dir = dir;
        this.auth = SuiteAuth.in(dir.resolve("auth"));
        Map<String, String> authEnvironment = auth.serviceEnvironment();
        auth.adminToken(); // minted now (when missing), so that start() records it on the ledger with the services'
        auth.consoleToken(); // likewise the console's
        Map<Service, List<Integer>> ports = new LinkedHashMap<>();
        for (Service service : SERVICES) {
            List<Integer> chosen = new ArrayList<>();
            for (int replica = 1; replica <= replicas; replica++) {
                chosen.add(Ports.preferredOrNext(freePorts || replica > 1 ? 0 : service.port()));
            }
            ports.put(service, chosen);
        }
        boolean secured = stack.secured();
        // Every registry replica, so a replica's registration fails over when one of them is gone.
        this.registryUrls = String.join(",", ports.get(SERVICES.get(0)).stream().map(p -> ServiceProcess.url(p, secured)).toList());
        for (Service service : SERVICES) {
            List<ServiceProcess> replicaProcesses = new ArrayList<>();
            for (int replica = 1; replica <= replicas; replica++) {
                int port = ports.get(service).get(replica - 1);
                Map<String, String> env = new LinkedHashMap<>();
                if (secured) {
                    stack.quarkusConfig(service.name(), service.database()).forEach((k, v) -> env.put(environmentName(k), v));
                    env.putAll(httpsEnvironment(stack.security(), port));
                } else {
                    env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
                    env.put("QUARKUS_REDIS_HOSTS", stack.redis().url());
                    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
                    if (service.database() != null) {
                        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", stack.postgres().reactiveUrl(service.database()));
                        env.put("QUARKUS_DATASOURCE_JDBC_URL", stack.postgres().jdbcUrl(service.database()));
                        env.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER);
                        env.put("QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD);
                    }
                }
                env.put("MAESTRO_SELF_REGISTRATION_REGISTRY_URL", registryUrls);
                env.put("MAESTRO_SELF_REGISTRATION_ADVERTISED_URL", ServiceProcess.url(port, secured));
                if (service == SERVICES.get(0)) {
                    // The registry's replicas share the health checks through the election service; on one machine
                    // every instance is on loopback, which checks may only target when it is listed.
                    env.put("REGISTRY_CHECKS_ELECTION_URL", String.join(",",
                            ports.get(SERVICES.get(1)).stream().map(p -> ServiceProcess.url(p, secured)).toList()));
                    env.put("REGISTRY_CHECKS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128");
                }
                env.putAll(authEnvironment);
                if (service.dataDirVariable() != null) {
                    env.put(service.dataDirVariable(), dir.resolve(service.name()).resolve("data").toString());
                }
                env.putAll(environment);
                String name = replicas == 1 ? service.name() : service.name() + "-" + replica;
                Path jar = repo.resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar");
                replicaProcesses.add(new ServiceProcess(name, dir.resolve(name), port, jar, env, fastStart,
                        secured ? stack.security().ca().clientContext() : null));
            }
            processes.put(service, replicaProcesses);
        }
    }

    /**
     * Starts every replica in parallel and waits until every {@code /q/health/ready} is UP, each answered by that
     * replica's own process; a replica that dies first fails the start with its name and log, and all are stopped.
     */
    public Suite start(Duration timeout) throws IOException {
        try {
            if (stack.secured()) {
                auth.recordMinted(stack.security().kafkaClientConfig(stack.kafka().bootstrapServers(), StackSecurity.ADMIN));
            } else {
                auth.recordMinted(stack.kafka().bootstrapServers());
            }
            ManagedServer.startAll(services(), timeout);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * The web console of this suite (made once, not started: start it once the services are up). It finds the
     * services through the suite's registry; over HTTPS like them on a secured stack.
     *
     * @param freePort  any free port instead of {@value #CONSOLE_PORT} (or the next free one)
     * @param loginCode the secret of the local admin's sign-in link ({@code /login/link?code=...}), which signs in
     *                  with the admin token's file; null: no link
     */
    public synchronized ServiceProcess console(boolean freePort, String loginCode, boolean fastStart) {
        if (console == null) {
            int port = Ports.preferredOrNext(freePort ? 0 : CONSOLE_PORT);
            boolean secured = stack.secured();
            Map<String, String> env = new LinkedHashMap<>();
            if (secured) {
                env.putAll(httpsEnvironment(stack.security(), port));
                // its own Kafka user, which may only read the suite's topics (the overview's recent events)
                stack.quarkusConfig(ServiceGrants.CONSOLE, null).forEach((k, v) -> env.put(environmentName(k), v));
            } else {
                env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
                env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
            }
            env.put("MAESTRO_CONSOLE_REGISTRY_URL", registryUrls);
            env.put("MAESTRO_CONSOLE_DISCOVERY_TOKEN", auth.consoleToken());
            if (loginCode != null) {
                env.put("MAESTRO_CONSOLE_LOGIN_LINK_CODE", loginCode);
                env.put("MAESTRO_CONSOLE_LOGIN_LINK_TOKEN_FILE", auth.dir().resolve(SuiteAuth.ADMIN_TOKEN_FILE).toString());
            }
            console = new ServiceProcess("console", dir.resolve("console"), port,
                    repo.resolve("console/target/quarkus-app/quarkus-run.jar"), env, fastStart,
                    secured ? stack.security().ca().clientContext() : null);
        }
        return console;
    }

    /**
     * HTTPS only on {@code port}, with the stack's certificate for loopback, through the Quarkus TLS registry; the
     * service's own clients (self-registration) trust the stack's CA.
     */
    static Map<String, String> httpsEnvironment(StackSecurity security, int port) {
        CertificateAuthority.ServerCertificate certificate = security.ca().server("http");
        Map<String, String> env = new LinkedHashMap<>();
        // the services' "https" profile: HTTPS only on quarkus.http.port, the TLS registry's default key store
        env.put("QUARKUS_PROFILE", "prod,https");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_TLS_KEY_STORE_PEM_0_CERT", certificate.certificate().toString());
        env.put("QUARKUS_TLS_KEY_STORE_PEM_0_KEY", certificate.key().toString());
        env.put("MAESTRO_CA_CERT", security.caCertificate().toString());
        return env;
    }

    /** The environment variable Quarkus reads for a configuration property: {@code kafka.sasl.jaas.config} -> {@code KAFKA_SASL_JAAS_CONFIG}. */
    static String environmentName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Every replica of every service. */
    public List<ServiceProcess> services() {
        return processes.values().stream().flatMap(List::stream).toList();
    }

    /** The first replica of a service ({@code registry-service}, ...). */
    public ServiceProcess service(String name) {
        return replicas(name).get(0);
    }

    /** The replicas of a service ({@code registry-service}, ...). */
    public List<ServiceProcess> replicas(String name) {
        return processes.entrySet().stream().filter(e -> e.getKey().name().equals(name)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** {@code MAESTRO_<SERVICE>_URL} for each service (its first replica), and {@code MAESTRO_TOKEN}, the admin token. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        processes.forEach((service, replicas) -> env.put(service.urlVariable(), replicas.get(0).url()));
        env.put("MAESTRO_TOKEN", auth.adminToken());
        return env;
    }

    /** The suite's signing key and tokens ({@code <dir>/auth}). */
    public SuiteAuth auth() {
        return auth;
    }

    /** Stops every replica; the registry's last, so the others' deregistrations are announced. */
    @Override
    public void close() {
        ServiceProcess made;
        synchronized (this) {
            made = console;
        }
        if (made != null) {
            made.stop();
        }
        List<ServiceProcess> registry = processes.get(SERVICES.get(0));
        services().parallelStream().filter(process -> !registry.contains(process)).forEach(ManagedServer::stop);
        registry.parallelStream().forEach(ManagedServer::stop);
    }
}
