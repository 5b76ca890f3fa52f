package io.maestro.support.redis;

import io.maestro.localstack.Directories;
import io.maestro.localstack.ManagedServer;
import io.maestro.localstack.Ports;
import io.maestro.localstack.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real Redis (local-stack's) for one test class, with a Vert.x and clients that are closed with it. */
final class TestRedis implements AutoCloseable {
    final RedisServer server;
    final Vertx vertx = Vertx.vertx();
    private final List<Redis> clients = new ArrayList<>();
    final Redis admin;

    private TestRedis(RedisServer server) {
        this.server = server;
        this.admin = client(server.url());
    }

    static TestRedis start(String name) throws Exception {
        Path dir = Path.of("target", "redis-toolkit", name).toAbsolutePath();
        Directories.deleteTree(dir);
        RedisServer server = new RedisServer(dir, Ports.free());
        ManagedServer.startAll(List.of(server), Duration.ofSeconds(60));
        return new TestRedis(server);
    }

    Redis client(String url) {
        Redis client = Redis.createClient(vertx, url);
        clients.add(client);
        return client;
    }

    /** Runs a command as the administrator (blocking). */
    Response run(String command, String... args) {
        Request request = Request.cmd(io.vertx.mutiny.redis.client.Command.create(command));
        for (String arg : args) {
            request.arg(arg);
        }
        return admin.send(request).await().atMost(Duration.ofSeconds(5));
    }

    String keyspaceEvents() {
        Response r = run("CONFIG", "GET", KeyspaceSettings.SETTING);
        try {
            return r.get(KeyspaceSettings.SETTING).toString(); // RESP3: a map
        } catch (RuntimeException resp2) {
            return r.get(1).toString(); // RESP2: name, value
        }
    }

    @Override
    public void close() {
        clients.forEach(Redis::close);
        vertx.closeAndAwait();
        server.stop();
    }
}
