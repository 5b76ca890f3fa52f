package io.maestro.registry.store;

import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;
import io.smallrye.mutiny.Uni;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One Lua script of {@code src/main/resources/lua} (with the shared prelude prepended), run with EVALSHA and,
 * when Redis does not know it yet (first call, restart, Sentinel failover), with EVAL, which also caches it.
 */
public final class LuaScript {
    private static final String PRELUDE = resource("prelude");

    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    public static LuaScript named(String name) {
        return new LuaScript(name, PRELUDE + "\n" + resource(name));
    }

    public String name() {
        return name;
    }

    public Uni<Response> run(Redis redis, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, sha1, keys, args))
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> redis.send(request(Command.EVAL, source, keys, args)));
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        for (String key : keys) {
            request.arg(key);
        }
        for (String arg : args) {
            request.arg(arg);
        }
        return request;
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static String resource(String name) {
        String path = "/lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
