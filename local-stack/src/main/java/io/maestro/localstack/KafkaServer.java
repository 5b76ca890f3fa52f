package io.maestro.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Apache Kafka in KRaft mode, one combined broker and controller, in its own JVM. The broker's classpath
 * comes from the {@code kafka-broker.classpath} resource written at build time by {@code local-stack/kafka-runtime}.
 */
public final class KafkaServer extends ManagedServer {
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true");
    /** C1 only: ready in ~4.5 s on 2 cores instead of 8-11 s, at about twice the CPU per record once warm. */
    private static final String QUICK_START_JIT = "-XX:TieredStopAtLevel=1";

    private final int controllerPort;
    /** Null for a plaintext broker. */
    private final StackSecurity security;
    private boolean fullJit;

    public KafkaServer(Path workDir, int port, int controllerPort) {
        this(workDir, port, controllerPort, null);
    }

    /**
     * @param security when not null, the broker is secured: clients on SASL_SSL with SCRAM-SHA-512 (a user per
     *                 service, created at format time), the controller on SASL_SSL with PLAIN, ACLs enforced by
     *                 {@code StandardAuthorizer} with the administrator as the only super user, no topic made on use
     */
    public KafkaServer(Path workDir, int port, int controllerPort, StackSecurity security) {
        super("kafka", workDir, port);
        this.controllerPort = controllerPort;
        this.security = security;
    }

    public boolean secured() {
        return security != null;
    }

    /**
     * Runs the broker with the JVM's whole JIT (C2) instead of C1 only: slower to start, cheaper per record once
     * warm, as a production broker runs. For benchmarks that measure steady state; call before starting.
     */
    public KafkaServer withFullJit() {
        fullJit = true;
        return this;
    }

    /** The broker JVM's options. */
    List<String> jvmOptions() {
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        if (!fullJit) {
            options.add(QUICK_START_JIT);
        }
        return options;
    }

    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    @Override
    protected Process launch() throws IOException {
        Path dataDir = workDir.resolve("data");
        Files.createDirectories(dataDir);
        Path properties = workDir.resolve("server.properties");
        // owner-only: a secured broker's settings hold its passwords
        LocalStack.writeAtomically(properties, security == null ? serverProperties(dataDir) : securedServerProperties(dataDir), true);
        Path log4j = workDir.resolve("log4j2.properties");
        Files.writeString(log4j, """
                rootLogger.level = INFO
                rootLogger.appenderRef.stdout.ref = STDOUT
                appender.stdout.type = Console
                appender.stdout.name = STDOUT
                appender.stdout.layout.type = PatternLayout
                appender.stdout.layout.pattern = [%d] %p %m (%c)%n
                logger.kafka.name = kafka
                logger.kafka.level = WARN
                logger.kafka-server.name = kafka.server.KafkaRaftServer
                logger.kafka-server.level = INFO
                logger.apache-kafka.name = org.apache.kafka
                logger.apache-kafka.level = WARN
                """);
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            List<String> format = new ArrayList<>(List.of("format", "-t", newClusterId(), "-c", properties.toString()));
            if (security != null) {
                // SCRAM users exist before the broker first starts, so it can authenticate to itself (KIP-900)
                for (String user : kafkaUsers()) {
                    format.add("--add-scram");
                    format.add("SCRAM-SHA-512=[name=" + user + ",password=" + security.password("kafka", user) + "]");
                }
            }
            ChildProcesses.run(java("kafka.tools.StorageTool", format.toArray(String[]::new)), workDir, log(), false);
        }
        return ChildProcesses.start(java("kafka.Kafka", properties.toString()), workDir, log(), "TERM", false);
    }

    @Override
    protected boolean isReady() {
        return Ports.accepts(port);
    }

    @Override
    protected String stopSignal() {
        return "TERM";
    }

    private List<String> java(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        command.add("-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.properties"));
        command.add("-cp");
        command.add(brokerClasspath());
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private String serverProperties(Path dataDir) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + Ports.LOOPBACK + ":" + controllerPort,
                "listeners=PLAINTEXT://" + Ports.LOOPBACK + ":" + port + ",CONTROLLER://" + Ports.LOOPBACK + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + Ports.LOOPBACK + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "auto.create.topics.enable=true",
                storage(dataDir));
    }

    /** What every broker of the local stack has: one node, one partition, replication factor 1 everywhere. */
    private static String storage(Path dataDir) {
        return String.join("\n",
                "log.dirs=" + dataDir,
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    /** The administrator and one user per service. */
    static List<String> kafkaUsers() {
        List<String> users = new ArrayList<>(List.of(StackSecurity.ADMIN));
        ServiceGrants.ALL.forEach(grants -> users.add(grants.service()));
        return users;
    }

    private String securedServerProperties(Path dataDir) {
        String admin = StackSecurity.ADMIN;
        String adminPassword = security.password("kafka", admin);
        char[] storePassword = security.password("kafka-keystore", "broker").toCharArray();
        Path keyStore = security.ca().pkcs12("kafka", storePassword);
        String listener = "SASL_SSL://" + Ports.LOOPBACK + ":" + port;
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + Ports.LOOPBACK + ":" + controllerPort,
                "listeners=" + listener + ",CONTROLLER://" + Ports.LOOPBACK + ":" + controllerPort,
                "advertised.listeners=" + listener,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=SASL_SSL",
                "listener.security.protocol.map=CONTROLLER:SASL_SSL,SASL_SSL:SASL_SSL",
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + StackSecurity.scramJaas(admin, adminPassword),
                // SCRAM credentials live in the metadata the controller serves, so the controller listener uses PLAIN
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"" + admin + "\" password=\"" + adminPassword + "\" user_" + admin + "=\"" + adminPassword + "\";",
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + keyStore,
                "ssl.keystore.password=" + new String(storePassword),
                "ssl.key.password=" + new String(storePassword),
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + security.caCertificate(),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + admin,
                "allow.everyone.if.no.acl.found=false",
                "auto.create.topics.enable=false",
                storage(dataDir));
    }

    static String brokerClasspath() throws IOException {
        try (InputStream in = KafkaServer.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + CLASSPATH_RESOURCE + " is missing: build with ./mvnw so that "
                        + "local-stack/kafka-runtime writes it");
            }
            String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String jar : classpath.split(java.io.File.pathSeparator)) {
                if (!Files.exists(Path.of(jar))) {
                    throw new IOException("Kafka broker jar " + jar + " is missing from the local Maven repository: rebuild with ./mvnw");
                }
            }
            return classpath;
        }
    }

    private static String newClusterId() {
        byte[] bytes = new byte[16];
        SecureRandom random = new SecureRandom();
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-")); // the storage tool would read it as an option
        return id;
    }
}
