package io.maestro.localstack;

import io.maestro.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The secured stack: each engine refuses a service that reaches for what is another's, and plaintext altogether. */
class SecuredStackTest {
    @TempDir
    static Path dir;
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.securedOnFreePorts(dir).start();
        System.out.println("secured stack started in " + stack.startTime().toMillis() + " ms" + stack.summary());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void kafkaLetsAServiceWriteItsOwnTopicButNotAnotherServicesTopic() throws Exception {
        try (KafkaProducer<String, String> registry = producer("registry-service")) {
            registry.send(new ProducerRecord<>(Topics.REGISTRY_CHANGES, "k", "v")).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> registry.send(new ProducerRecord<>(Topics.ELECTION_LEADERSHIP, "k", "forged")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> registry.send(new ProducerRecord<>(Topics.AUTH_TOKENS, "jti", "forged")).get(30, TimeUnit.SECONDS))
                    .as("the token ledger is the administrator's").hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, String> inventory = producer("inventory-service")) {
            assertThatThrownBy(() -> inventory.send(new ProducerRecord<>(Topics.PROVISIONING_COMMANDS, "c", "forged")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void kafkaRefusesAPlaintextClient() {
        Map<String, Object> plaintext = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(),
                "request.timeout.ms", 3000, "default.api.timeout.ms", 5000);
        try (Admin admin = Admin.create(plaintext)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void kafkaRefusesAWrongPassword() {
        Map<String, Object> config = new HashMap<>(stack.security().kafkaClientConfig(stack.kafka().bootstrapServers(), "registry-service"));
        config.put("sasl.jaas.config", StackSecurity.scramJaas("registry-service", "not-the-password"));
        config.put("default.api.timeout.ms", 10_000);
        config.put("request.timeout.ms", 5_000);
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(15, TimeUnit.SECONDS))
                    .hasRootCauseMessage("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512");
        }
    }

    @Test
    void redisLetsAServiceWriteItsOwnKeysButNotAnotherServicesKeys() throws IOException {
        try (Socket socket = tls()) {
            assertThat(command(socket, "AUTH", "registry-service", stack.security().password("redis", "registry-service"))).isEqualTo("+OK");
            assertThat(command(socket, "SET", "maestro:registry:probe", "1")).isEqualTo("+OK");
            assertThat(command(socket, "SET", "maestro:election:group:lease:x", "forged")).startsWith("-NOPERM");
            assertThat(command(socket, "CONFIG", "SET", "notify-keyspace-events", "")).startsWith("-NOPERM");
            assertThat(command(socket, "FLUSHALL")).startsWith("-NOPERM");
        }
        try (Socket socket = tls()) {
            assertThat(command(socket, "AUTH", "election-service", stack.security().password("redis", "registry-service")))
                    .as("another service's password").startsWith("-WRONGPASS");
            assertThat(command(socket, "GET", "maestro:registry:probe")).startsWith("-NOAUTH");
        }
    }

    @Test
    void redisRefusesAPlaintextConnection() throws IOException {
        try (Socket socket = new Socket(Ports.LOOPBACK, stack.redis().port())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[16];
            int read;
            try {
                read = socket.getInputStream().read(reply);
            } catch (IOException closed) {
                read = -1;
            }
            assertThat(read == -1 || !new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG"))
                    .as("no plaintext PONG").isTrue();
        }
    }

    @Test
    void postgresLetsAServiceRoleIntoItsOwnDatabaseOnly() throws SQLException {
        PostgresServer postgres = stack.postgres();
        try (Connection own = DriverManager.getConnection(postgres.jdbcUrl("maestro_inventory"), "maestro_inventory",
                postgres.password("maestro_inventory")); Statement statement = own.createStatement()) {
            statement.execute("create table if not exists probe (id int)");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("maestro_provisioner"), "maestro_inventory",
                postgres.password("maestro_inventory")).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database");
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("maestro_inventory"), "maestro_inventory",
                postgres.password("maestro_provisioner")).close())
                .as("another role's password").hasMessageContaining("password authentication failed");
    }

    @Test
    void postgresRefusesAPlaintextConnection() {
        String plaintext = "jdbc:postgresql://" + Ports.LOOPBACK + ":" + stack.postgres().port() + "/maestro_inventory?sslmode=disable";
        assertThatThrownBy(() -> DriverManager.getConnection(plaintext, "maestro_inventory",
                stack.postgres().password("maestro_inventory")).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("no encryption");
    }

    @Test
    void secretsAreReadableByTheOwnerOnly() throws IOException {
        Path secure = stack.security().dir();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secure))).isEqualTo("rwx------");
        for (String file : new String[]{StackSecurity.CREDENTIALS, StackSecurity.ADMIN_KAFKA_CONFIG, "kafka.key", "kafka.p12"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secure.resolve(file)))).as(file).isEqualTo("rw-------");
        }
        String redisConfig = Files.readString(dir.resolve("redis/redis.conf"));
        assertThat(redisConfig).as("hashed passwords only").doesNotContain(stack.security().password("redis", "registry-service"));
    }

    private static KafkaProducer<String, String> producer(String user) {
        Map<String, Object> config = new HashMap<>(stack.security().kafkaClientConfig(stack.kafka().bootstrapServers(), user));
        config.put("max.block.ms", 15_000);
        config.put("delivery.timeout.ms", 20_000);
        config.put("request.timeout.ms", 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static Socket tls() throws IOException {
        Socket socket = stack.security().ca().clientContext().getSocketFactory().createSocket(Ports.LOOPBACK, stack.redis().port());
        socket.setSoTimeout(5000);
        return socket;
    }

    /** One RESP command; the first line of the reply. */
    private static String command(Socket socket, String... args) throws IOException {
        StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            out.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        socket.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
