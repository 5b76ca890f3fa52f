package io.maestro.support.connections;

import io.maestro.localstack.CertificateAuthority;
import io.maestro.localstack.Directories;
import io.maestro.localstack.KafkaServer;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.ManagedServer;
import io.maestro.localstack.Ports;
import io.maestro.localstack.PostgresServer;
import io.maestro.localstack.RedisServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What readiness says when a credential or certificate is wrong, on real failures of the real clients: a Kafka
 * broker, a Redis with users and a PostgreSQL with scram-sha-256 started for this test, and TLS endpoints whose
 * certificate comes from a CA the client does not trust (or names another host). Each answer names the setting to
 * fix, in words; none holds the password, a Java class name or a stack trace, and neither does the log.
 */
class ConnectionProblemsTest {
    private static final String PASSWORD = "right-" + UUID.randomUUID();
    private static final String WRONG = "wrong-" + UUID.randomUUID();
    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    private static final String USER = "maestro_inventory";
    private static Path dir;
    private static KafkaServer kafka;
    private static RedisServer redis;
    private static PostgresServer postgres;
    private static CertificateAuthority serverCa;
    private static CertificateAuthority otherCa;
    private static TlsServer tls;
    private static TlsServer tlsOtherHost;
    private static TlsServer tlsPostgres;
    private static Vertx vertx;
    private static LocalStack secured;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final List<String> logged = new ArrayList<>();
    private final Handler logHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(String.valueOf(record.getMessage()) + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        dir = Path.of("target", "connections-test").toAbsolutePath();
        Directories.deleteTree(dir);
        Files.createDirectories(dir);
        kafka = new KafkaServer(dir.resolve("kafka"), Ports.free(), Ports.free());
        redis = new RedisServer(dir.resolve("redis"), Ports.free());
        postgres = new PostgresServer(dir.resolve("postgres"), Ports.free());
        ManagedServer.startAll(List.of(kafka, redis, postgres), Duration.ofSeconds(90));
        serverCa = CertificateAuthority.in(dir.resolve("server-ca"));
        otherCa = CertificateAuthority.in(dir.resolve("other-ca"));
        tls = new TlsServer(serverCa, "127.0.0.1", false);
        tlsOtherHost = new TlsServer(serverCa, "127.0.0.2", false);
        tlsPostgres = new TlsServer(serverCa, "127.0.0.1", true);
        vertx = Vertx.vertx();
        secureRedis();
        securePostgres();
        secured = LocalStack.securedOnFreePorts(dir.resolve("secured")).start();
        secured.postgres().createDatabase(USER);
    }

    /** A service user with a password; the default user needs one too (so a client without a password gets NOAUTH). */
    private static void secureRedis() throws Exception {
        Redis admin = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
        sync(admin.send(Request.cmd(Command.ACL).arg("SETUSER").arg("registry-service").arg("on").arg(">" + PASSWORD)
                .arg("~maestro:registry:*").arg("+@all")));
        sync(admin.send(Request.cmd(Command.CONFIG).arg("SET").arg("requirepass").arg(ADMIN_PASSWORD)));
        admin.close();
    }

    /** scram-sha-256 for every role, one role allowed over TLS only (this server has none). */
    private static void securePostgres() throws Exception {
        String jdbc = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres";
        try (Connection connection = DriverManager.getConnection(jdbc, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("set password_encryption = 'scram-sha-256'");
            statement.execute("alter role postgres password '" + PostgresServer.PASSWORD + "'");
            statement.execute("create role " + USER + " login password '" + PASSWORD + "'");
            statement.execute("create role tls_only login password '" + PASSWORD + "'");
            Path hba = Path.of(one(statement, "show hba_file"));
            Files.writeString(hba, """
                    host all postgres 127.0.0.1/32 scram-sha-256
                    host all maestro_inventory 127.0.0.1/32 scram-sha-256
                    hostssl all tls_only 127.0.0.1/32 scram-sha-256
                    """);
            one(statement, "select pg_reload_conf()");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Connection ignored = DriverManager.getConnection(jdbc, USER, WRONG)) {
                return false; // still trusting every password
            } catch (java.sql.SQLException refused) {
                return "28P01".equals(refused.getSQLState());
            }
        });
    }

    private static String one(Statement statement, String sql) throws Exception {
        try (var result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[]{tls, tlsOtherHost, tlsPostgres}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        for (ManagedServer server : new ManagedServer[]{kafka, redis, postgres}) {
            if (server != null) {
                server.stop();
            }
        }
        if (secured != null) {
            secured.close();
        }
    }

    @BeforeEach
    void captureLog() {
        Logger.getLogger("io.maestro.support.connections").addHandler(logHandler);
    }

    @AfterEach
    void closeClients() throws Exception {
        Logger.getLogger("io.maestro.support.connections").removeHandler(logHandler);
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    // ------------------------------------------------------------------ Kafka

    @Test
    void kafkaUpOnThePlaintextListener() {
        HealthCheckResponse response = kafkaCheck(Map.of());
        assertThat(response.getStatus()).as(String.valueOf(response.getData())).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void kafkaTlsClientOnAPlaintextListenerNamesTheSecurityProtocol() {
        String problem = kafkaDown(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaas(WRONG), "ssl.truststore.type", "PEM",
                "ssl.truststore.location", serverCa.certificate().toString()));
        // the plaintext listener just drops the TLS hello: the client can only time out
        assertThat(problem).startsWith("kafka.bootstrap.servers: no broker answered in time at " + kafka.bootstrapServers())
                .endsWith("does its listener expect kafka.security.protocol=SASL_SSL?)");
    }

    @Test
    void kafkaBrokerCertificateFromAnotherCaNamesTheTrustStore() {
        String problem = kafkaDown(Map.of("bootstrap.servers", "127.0.0.1:" + tls.port(), "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", jaas(WRONG),
                "ssl.truststore.type", "PEM", "ssl.truststore.location", otherCa.certificate().toString()));
        assertThat(problem).isEqualTo("kafka.ssl.truststore.location: the broker's certificate is not trusted (no CA in that file signed it)");
    }

    @Test
    void kafkaBrokerCertificateForAnotherHostNamesTheAddress() {
        String problem = kafkaDown(Map.of("bootstrap.servers", "127.0.0.2:" + tlsOtherHost.port(), "security.protocol", "SSL",
                "ssl.truststore.type", "PEM", "ssl.truststore.location", serverCa.certificate().toString()));
        assertThat(problem).startsWith("kafka.bootstrap.servers: the broker's certificate is not for the host it was reached at")
                .contains("127.0.0.2").contains("kafka.ssl.endpoint.identification.algorithm");
    }

    @Test
    void kafkaMissingTrustStoreNamesIt() {
        String problem = kafkaDown(Map.of("security.protocol", "SSL", "ssl.truststore.type", "PEM",
                "ssl.truststore.location", dir.resolve("no-such-ca.crt").toString()));
        assertThat(problem).startsWith("kafka.ssl.truststore.location: cannot load the trust store");
    }

    @Test
    void kafkaMalformedJaasNamesItWithoutQuotingIt() {
        String problem = kafkaDown(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"x\" password=\"" + WRONG + "\""));
        assertThat(problem).startsWith("kafka.sasl.jaas.config: not a valid JAAS login module configuration");
    }

    @Test
    void kafkaSaslOnAPlaintextListenerIsExplained() {
        String problem = kafkaDown(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaas(WRONG)));
        assertThat(problem).isEqualTo("kafka.security.protocol: SASL_PLAINTEXT but the listener at kafka.bootstrap.servers has no SASL "
                + "(try PLAINTEXT, or the broker's SASL port)");
    }

    private HealthCheckResponse kafkaCheck(Map<String, String> overrides) {
        Map<String, String> client = new LinkedHashMap<>();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        client.putAll(overrides);
        Map<String, String> settings = new HashMap<>();
        client.forEach((k, v) -> settings.put("kafka." + k, v));
        KafkaProbe probe = new KafkaProbe(client, Duration.ofSeconds(3));
        clients.add(probe);
        return check(new ConnectionReadiness(Engine.KAFKA, probe::describeCluster, ConnectionSettings.of(settings),
                Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }

    private String kafkaDown(Map<String, String> overrides) {
        return down(kafkaCheck(overrides), Engine.KAFKA);
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"registry-service\" password=\"" + password + "\";";
    }

    // ------------------------------------------------------------------ Redis

    @Test
    void redisUpWithTheRightPassword() {
        HealthCheckResponse response = redisCheck("redis://127.0.0.1:" + redis.port() + "?user=registry-service", PASSWORD, null);
        assertThat(response.getStatus()).as(String.valueOf(response.getData())).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void redisWrongPasswordNamesThePasswordSetting() {
        String problem = down(redisCheck("redis://127.0.0.1:" + redis.port() + "?user=registry-service", WRONG, null), Engine.REDIS);
        assertThat(problem).startsWith("quarkus.redis.password: Redis refused the user's password (WRONGPASS");
    }

    @Test
    void redisUserBeforeTheAtSignWithoutColonIsExplained() {
        // the right password, but "user@" is dropped by the client: Redis checks it against the default user
        String problem = down(redisCheck("redis://registry-service@127.0.0.1:" + redis.port(), PASSWORD, null), Engine.REDIS);
        assertThat(problem).isEqualTo("quarkus.redis.hosts: the client ignores the user name in 'redis://registry-service@' (no ':'), "
                + "so Redis checked the password of its default user (WRONGPASS); name the user as ?user=registry-service");
    }

    @Test
    void redisWrongPasswordInTheUrlNamesTheUrl() {
        String problem = down(redisCheck("redis://registry-service:" + WRONG + "@127.0.0.1:" + redis.port(), null, null), Engine.REDIS);
        assertThat(problem).isEqualTo("quarkus.redis.hosts: Redis refused the user name or password in the URL (WRONGPASS)");
    }

    @Test
    void redisWithoutPasswordIsNoauth() {
        String problem = down(redisCheck("redis://127.0.0.1:" + redis.port(), null, null), Engine.REDIS);
        assertThat(problem).startsWith("quarkus.redis.hosts: Redis wants a user and password and the client sent none (NOAUTH)");
    }

    @Test
    void redisCertificateFromAnotherCaNamesTheTrustSetting() {
        String problem = down(redisCheck("rediss://registry-service@127.0.0.1:" + tls.port(), WRONG, otherCa.certificate()), Engine.REDIS);
        assertThat(problem).isEqualTo("quarkus.redis.tls.trust-certificate-pem.certs: the Redis server's certificate is not trusted");
    }

    @Test
    void redisTlsAgainstAPlaintextServerNamesTheUrl() {
        String problem = down(redisCheck("rediss://registry-service@127.0.0.1:" + redis.port(), WRONG, serverCa.certificate()), Engine.REDIS);
        assertThat(problem).isEqualTo("quarkus.redis.hosts: no TLS answer from Redis in time (is the port in the rediss:// URL its TLS port?)");
    }

    @Test
    void redisPlaintextAgainstATlsPortNamesTheUrl() {
        String problem = down(redisCheck("redis://registry-service@127.0.0.1:" + tls.port(), WRONG, null), Engine.REDIS);
        assertThat(problem).isEqualTo("quarkus.redis.hosts: Redis closed the connection at once (a TLS port? then the URL starts with rediss://)");
    }

    private HealthCheckResponse redisCheck(String url, String password, Path trust) {
        RedisOptions options = new RedisOptions().setConnectionString(url);
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkus.redis.hosts", url);
        if (password != null) {
            options.setPassword(password);
            settings.put("quarkus.redis.password", password);
        }
        if (trust != null) {
            options.setNetClientOptions(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
                    .setTrustOptions(new PemTrustOptions().addCertPath(trust.toString())));
            settings.put("quarkus.redis.tls.trust-certificate-pem.certs", trust.toString());
        }
        Redis client = Redis.createClient(vertx, options);
        clients.add(client::close);
        return check(new ConnectionReadiness(Engine.REDIS, () -> uni(client.send(Request.cmd(Command.PING))),
                ConnectionSettings.of(settings), Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }

    // ------------------------------------------------------------------ PostgreSQL

    @Test
    void postgresUpWithTheRightPassword() {
        HealthCheckResponse response = postgresCheck(options(USER, PASSWORD, "postgres"), null);
        assertThat(response.getStatus()).as(String.valueOf(response.getData())).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void postgresWrongPasswordNamesThePasswordSetting() {
        String problem = down(postgresCheck(options(USER, WRONG, "postgres"), null), Engine.POSTGRESQL);
        assertThat(problem).isEqualTo("quarkus.datasource.password: PostgreSQL refused the password of the user in quarkus.datasource.username");
    }

    @Test
    void postgresRoleAllowedOnlyOverTlsNamesTheSslMode() {
        String problem = down(postgresCheck(options("tls_only", PASSWORD, "postgres"), null), Engine.POSTGRESQL);
        assertThat(problem).startsWith("quarkus.datasource.reactive.postgresql.ssl-mode: PostgreSQL accepts this user only over TLS");
    }

    @Test
    void postgresMissingDatabaseNamesTheUrl() {
        String problem = down(postgresCheck(options(USER, PASSWORD, "no_such_database"), null), Engine.POSTGRESQL);
        assertThat(problem).startsWith("quarkus.datasource.reactive.url: the database in the URL does not exist");
    }

    @Test
    void postgresCertificateFromAnotherCaNamesTheTrustSetting() {
        PgConnectOptions options = options(USER, WRONG, "postgres").setPort(tlsPostgres.port());
        String problem = down(postgresCheck(options, otherCa.certificate()), Engine.POSTGRESQL);
        assertThat(problem).isEqualTo("quarkus.datasource.reactive.trust-certificate-pem.certs: the server certificate is not trusted");
    }

    @Test
    void postgresCertificateForAnotherHostNamesTheUrl() throws Exception {
        try (TlsServer otherHost = new TlsServer(serverCa, "127.0.0.2", true)) {
            PgConnectOptions options = options(USER, WRONG, "postgres").setHost("127.0.0.2").setPort(otherHost.port());
            String problem = down(postgresCheck(options, serverCa.certificate()), Engine.POSTGRESQL);
            assertThat(problem).startsWith("quarkus.datasource.reactive.url: the server certificate is not for the host it was reached at")
                    .contains("127.0.0.2");
        }
    }

    @Test
    void postgresUnreadableTrustFileNamesIt() {
        PgConnectOptions options = options(USER, WRONG, "postgres").setPort(tlsPostgres.port());
        Map<String, String> settings = new HashMap<>(postgresSettings(options));
        settings.put("quarkus.datasource.reactive.trust-certificate-pem.certs", dir.resolve("no-such-ca.crt").toString());
        // the client itself is given a valid but foreign CA: its report is the bare "SSL handshake failed"
        options.setSslMode(SslMode.VERIFY_FULL).setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new PemTrustOptions().addCertPath(otherCa.certificate().toString()));
        String problem = down(check(new ConnectionReadiness(Engine.POSTGRESQL, () -> uni(PgConnection.connect(vertx, options)),
                ConnectionSettings.of(settings), Duration.ofSeconds(3), Duration.ofSeconds(2))), Engine.POSTGRESQL);
        assertThat(problem).startsWith("quarkus.datasource.reactive.trust-certificate-pem.certs: cannot read the trusted certificates");
    }

    @Test
    void postgresTlsRequiredOnAServerWithoutTlsNamesTheSslMode() {
        String problem = down(postgresCheck(options(USER, WRONG, "postgres"), serverCa.certificate()), Engine.POSTGRESQL);
        assertThat(problem).startsWith("quarkus.datasource.reactive.postgresql.ssl-mode:");
    }

    private static PgConnectOptions options(String user, String password, String database) {
        return new PgConnectOptions().setHost("127.0.0.1").setPort(postgres.port()).setDatabase(database)
                .setUser(user).setPassword(password).setConnectTimeout(2000);
    }

    private static Map<String, String> postgresSettings(PgConnectOptions options) {
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkus.datasource.reactive.url", "postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase());
        settings.put("quarkus.datasource.username", options.getUser());
        settings.put("quarkus.datasource.password", options.getPassword());
        return settings;
    }

    private HealthCheckResponse postgresCheck(PgConnectOptions options, Path trust) {
        Map<String, String> settings = postgresSettings(options);
        if (trust != null) {
            options.setSslMode(SslMode.VERIFY_FULL).setHostnameVerificationAlgorithm("HTTPS")
                    .setTrustOptions(new PemTrustOptions().addCertPath(trust.toString()));
            settings.put("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full");
            settings.put("quarkus.datasource.reactive.trust-certificate-pem.certs", trust.toString());
        }
        return check(new ConnectionReadiness(Engine.POSTGRESQL,
                () -> uni(PgConnection.connect(vertx, options).compose(c -> c.query("select 1").execute().eventually(v -> c.close()))),
                ConnectionSettings.of(settings), Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }

    // ------------------------------------------------------------------ the secured stack (SASL_SSL, TLS, ACL users, scram)

    @Test
    void securedKafkaWrongPasswordNamesTheJaasConfig() {
        Map<String, String> client = new HashMap<>(securedKafka());
        client.put("sasl.jaas.config", jaas(WRONG));
        String problem = kafkaDown(client);
        assertThat(problem).isEqualTo("kafka.sasl.jaas.config: Kafka refused the user name or password in kafka.sasl.jaas.config "
                + "(authentication failed for the user, SASL SCRAM-SHA-512)");
    }

    @Test
    void securedKafkaUpWithTheServicesOwnUser() {
        HealthCheckResponse response = kafkaCheck(securedKafka());
        assertThat(response.getStatus()).as(String.valueOf(response.getData())).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void securedKafkaTrustingAnotherCaNamesTheTrustStore() {
        Map<String, String> client = new HashMap<>(securedKafka());
        client.put("ssl.truststore.location", otherCa.certificate().toString());
        assertThat(kafkaDown(client))
                .isEqualTo("kafka.ssl.truststore.location: the broker's certificate is not trusted (no CA in that file signed it)");
    }

    @Test
    void securedKafkaPlaintextClientIsExplained() {
        String problem = kafkaDown(Map.of("bootstrap.servers", secured.kafka().bootstrapServers()));
        assertThat(problem).startsWith("kafka.bootstrap.servers: no broker answered in time at " + secured.kafka().bootstrapServers())
                .endsWith("does its listener expect kafka.security.protocol=PLAINTEXT?)");
    }

    @Test
    void securedRedisWrongPasswordInTheUrlNamesTheUrl() {
        String url = secured.redis().url("registry-service", WRONG);
        String problem = down(redisCheck(url, null, secured.security().caCertificate()), Engine.REDIS);
        assertThat(problem).isEqualTo("quarkus.redis.hosts: Redis refused the user name or password in the URL (WRONGPASS)");
    }

    @Test
    void securedRedisUpWithTheServicesOwnUser() {
        String url = secured.redis().url("registry-service", secured.security().password("redis", "registry-service"));
        HealthCheckResponse response = redisCheck(url, null, secured.security().caCertificate());
        assertThat(response.getStatus()).as(String.valueOf(response.getData())).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void securedPostgresWrongPasswordNamesThePasswordSetting() {
        String problem = down(postgresCheck(securedPostgres(WRONG), secured.security().caCertificate()), Engine.POSTGRESQL);
        assertThat(problem).isEqualTo("quarkus.datasource.password: PostgreSQL refused the password of the user in quarkus.datasource.username");
    }

    @Test
    void securedPostgresTrustingAnotherCaNamesTheTrustSetting() {
        String problem = down(postgresCheck(securedPostgres(secured.postgres().password(USER)), otherCa.certificate()), Engine.POSTGRESQL);
        assertThat(problem).isEqualTo("quarkus.datasource.reactive.trust-certificate-pem.certs: the server certificate is not trusted");
    }

    @Test
    void securedPostgresWithoutTlsNamesTheSslMode() {
        String problem = down(postgresCheck(securedPostgres(secured.postgres().password(USER)), null), Engine.POSTGRESQL);
        assertThat(problem).startsWith("quarkus.datasource.reactive.postgresql.ssl-mode: PostgreSQL accepts this user only over TLS");
    }

    @Test
    void securedPostgresUpWithTheServicesOwnRole() {
        HealthCheckResponse response = postgresCheck(securedPostgres(secured.postgres().password(USER)), secured.security().caCertificate());
        assertThat(response.getStatus()).as(String.valueOf(response.getData())).isEqualTo(HealthCheckResponse.Status.UP);
    }

    private static Map<String, String> securedKafka() {
        return secured.security().kafkaClientConfig(secured.kafka().bootstrapServers(), "registry-service");
    }

    private static PgConnectOptions securedPostgres(String password) {
        return options(USER, password, USER).setPort(secured.postgres().port());
    }

    // ------------------------------------------------------------------ shared

    private static HealthCheckResponse check(ConnectionReadiness readiness) {
        return readiness.check().await().atMost(Duration.ofSeconds(10));
    }

    /** The DOWN sentence, checked for what must never be in readiness data or the log. */
    private String down(HealthCheckResponse response, Engine engine) {
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        String problem = String.valueOf(response.getData().orElseThrow().get(engine.key()));
        System.out.printf("%s -> %s%n", response.getName(), problem);
        assertClean(problem);
        synchronized (logged) {
            assertThat(logged).as("the log says the same sentence").anyMatch(line -> line.contains(problem));
            logged.forEach(ConnectionProblemsTest::assertClean);
        }
        return problem;
    }

    private static void assertClean(String text) {
        for (String user : List.of("registry-service", USER)) {
            assertThat(text).doesNotContain(secured.security().password("redis", user)).doesNotContain(secured.security().password("kafka", user));
        }
        assertThat(text).doesNotContain(secured.postgres().password(USER));
        assertThat(text).doesNotContain(PASSWORD).doesNotContain(WRONG).doesNotContain(ADMIN_PASSWORD)
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContainPattern("\\b(java|javax|org|io)\\.[a-z]+\\.");
    }

    private static <T> Uni<T> uni(Future<T> future) {
        return Uni.createFrom().completionStage(() -> future.toCompletionStage());
    }

    private static <T> T sync(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
