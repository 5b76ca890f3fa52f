package io.maestro.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalStackTest {
    @TempDir
    static Path dir;
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.onFreePorts(dir).start();
        System.out.println("stack started in " + stack.startTime().toMillis() + " ms" + stack.summary());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyServerRunsOnItsOwnLoopbackPortWithItsOwnDirectoryAndLog() {
        List<ManagedServer> servers = stack.servers();
        assertThat(servers).extracting(ManagedServer::port).doesNotHaveDuplicates().allSatisfy(p -> assertThat(Ports.accepts(p)).isTrue());
        assertThat(servers).allSatisfy(s -> {
            assertThat(s.isAlive()).as(s.name()).isTrue();
            assertThat(s.log()).exists().startsWith(dir.resolve(s.name()));
            assertThat(s.rssKib()).as("RSS of " + s.name()).isPositive();
        });
    }

    @Test
    void redisAnswersPingWithKeyspaceNotificationsOn() throws Exception {
        assertThat(stack.redis().isReady()).isTrue();
        try (var socket = new java.net.Socket(Ports.LOOPBACK, stack.redis().port())) {
            socket.getOutputStream().write("CONFIG GET notify-keyspace-events\r\n".getBytes());
            byte[] buffer = new byte[256];
            int read = socket.getInputStream().read(buffer);
            String reply = new String(buffer, 0, read);
            assertThat(reply).contains("notify-keyspace-events");
            // Redis normalises KEA to its canonical spelling; every class letter is there.
            assertThat(reply.lines().toList().get(4)).contains("A").contains("K").contains("E");
        }
    }

    @Test
    void postgresHasADatabasePerServiceAndAnswersQueries() throws Exception {
        for (String database : LocalStack.SERVICE_DATABASES) {
            try (var connection = DriverManager.getConnection(stack.postgres().jdbcUrl(database), PostgresServer.USER, PostgresServer.PASSWORD);
                 var statement = connection.createStatement()) {
                statement.execute("create table probe (id int primary key, note text)");
                statement.execute("insert into probe values (1, 'written')");
                try (var result = statement.executeQuery("select note, current_database() from probe where id = 1")) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getString(1)).isEqualTo("written");
                    assertThat(result.getString(2)).isEqualTo(database);
                }
            }
        }
    }

    @Test
    void kafkaIsFormattedOnceInItsOwnDataDirectory() {
        assertThat(dir.resolve("kafka/data/meta.properties")).exists();
        assertThat(stack.kafka().bootstrapServers()).isEqualTo("127.0.0.1:" + stack.kafka().port());
    }

    @Test
    void environmentNamesEveryAddress() {
        assertThat(stack.environment())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers())
                .containsEntry("QUARKUS_REDIS_HOSTS", stack.redis().url())
                .containsEntry("INVENTORY_DATABASE_URL", stack.postgres().reactiveUrl("maestro_inventory"));
        assertThat(Files.isDirectory(dir.resolve("postgres/data"))).isTrue();
    }
}
