package io.maestro.support.redis;

import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One Lua script, loaded once ({@link LuaScripts#load}), run by its SHA-1 with {@code EVALSHA}. A Redis that does not
 * know it (first call, restart, {@code SCRIPT FLUSH}, failover to a replica: the script cache is not replicated) answers
 * {@code NOSCRIPT}; the script is then sent whole with {@code EVAL}, which runs it and caches it again.
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private final String sha1;

    LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    public String name() {
        return name;
    }

    /** The script as Redis runs it (lib, body, placeholders replaced). */
    public String source() {
        return source;
    }

    /** What Redis knows the script by ({@code SCRIPT EXISTS}). */
    public String sha1() {
        return sha1;
    }

    public Uni<Response> run(Redis redis, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, sha1, keys, args))
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> redis.send(request(Command.EVAL, source, keys, args)));
    }

    /** {@link #run(Redis, List, List)} on a blocking data source, on the caller's thread. */
    public Response run(RedisDataSource redis, List<String> keys, List<String> args) {
        try {
            return redis.execute(Command.EVALSHA, command(sha1, keys, args));
        } catch (RuntimeException failure) {
            if (!isNoScript(failure)) {
                throw failure;
            }
            return redis.execute(Command.EVAL, command(source, keys, args));
        }
    }

    private static String[] command(String script, List<String> keys, List<String> args) {
        String[] command = new String[2 + keys.size() + args.size()];
        command[0] = script;
        command[1] = Integer.toString(keys.size());
        int i = 2;
        for (String key : keys) {
            command[i++] = key;
        }
        for (String arg : args) {
            command[i++] = arg;
        }
        return command;
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    /** Redis's {@code NOSCRIPT} error, as such (reactive) or as the cause of a blocking call's exception. */
    private static boolean isNoScript(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
