package io.maestro.election.store;

import io.maestro.election.config.ElectionConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Lua scripts of the election model ({@code src/main/resources/election/lua}), one per transition, each
 * sent as {@code lib.lua} + its own body. Run by SHA ({@code EVALSHA}); a Redis that does not know the script
 * yet (fresh start, {@code SCRIPT FLUSH}, failover) gets its source once ({@code EVAL}).
 */
@ApplicationScoped
public class ElectionScripts {

    /** The transitions; each is atomic in Redis, so any number of service replicas may run them. */
    public enum Script {
        JOIN("join"), HEARTBEAT("heartbeat"), RESIGN("resign"), ADD_KEY("add-key"), REMOVE_KEY("remove-key"),
        READ_GROUP("read-group"), SWEEP("sweep");

        private final String file;

        Script(String file) {
            this.file = file;
        }
    }

    private record Loaded(String source, String sha) {
    }

    private final ReactiveRedisDataSource redis;
    private final Map<Script, Loaded> scripts = new EnumMap<>(Script.class);
    private final Nonces nonces = new Nonces();

    public ElectionScripts(ReactiveRedisDataSource redis, ElectionConfig config) {
        this.redis = redis;
        String lib = resource("lib").replace("'__STREAM_MAXLEN__'", Integer.toString(config.events().streamMaxLength()));
        for (Script script : Script.values()) {
            String source = lib + "\n" + resource(script.file);
            scripts.put(script, new Loaded(source, sha1(source)));
        }
    }

    /**
     * Runs a script for {@code group} (may be empty for the sweep) with a fresh event-id nonce; returns its JSON result.
     *
     * @param actor the subject of the bearer token of the request the transition serves, named by the events it
     *              causes; null when no request caused it (the sweep, a read)
     */
    public Uni<String> run(Script script, String group, String actor, List<String> args) {
        Loaded loaded = scripts.get(script);
        List<String> argv = new ArrayList<>(args.size() + 5);
        argv.add("0");
        argv.add(group);
        argv.add(nonces.next());
        argv.add(actor == null ? "" : actor);
        argv.addAll(args);
        return call("EVALSHA", loaded.sha(), argv)
                .onFailure(ElectionScripts::isNoScript).recoverWithUni(() -> call("EVAL", loaded.source(), argv))
                .map(Response::toString);
    }

    private Uni<Response> call(String command, String script, List<String> argv) {
        String[] args = new String[argv.size() + 1];
        args[0] = script;
        for (int i = 0; i < argv.size(); i++) {
            args[i + 1] = argv.get(i);
        }
        return redis.execute(command, args);
    }

    /** Unique per call across replicas and restarts: a random id of this process and a counter (cheaper than a UUID each). */
    private static final class Nonces {
        private final String process = UUID.randomUUID().toString();
        private final AtomicLong counter = new AtomicLong();

        String next() {
            return process + "." + counter.incrementAndGet();
        }
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static String resource(String name) {
        String path = "/election/lua/" + name + ".lua";
        try (InputStream in = ElectionScripts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
