package io.maestro.support.redis;

import io.vertx.mutiny.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lua scripts from resources, run by SHA on a real Redis, loaded again when Redis forgot them. */
class LuaScriptTest {
    private static final LuaScripts SCRIPTS = LuaScripts.in(LuaScriptTest.class, "/redis-toolkit/").withLib("lib")
            .define("__KEY_PREFIX__", "it's\\odd\n:").define("__LIMIT__", 41);
    private static TestRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = TestRedis.start("lua");
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private static Response run(LuaScript script, String key, String value) {
        return script.run(redis.admin, List.of(key), List.of(value)).await().atMost(Duration.ofSeconds(5));
    }

    private static boolean known(LuaScript script) {
        return redis.run("SCRIPT", "EXISTS", script.sha1()).get(0).toInteger() == 1;
    }

    @Test
    void theLibIsPrependedAndPlaceholdersBecomeLuaLiteralsEvenWithQuotesAndBackslashes() {
        Response r = run(SCRIPTS.load("prefixed"), "k", "v");
        assertThat(r.get(0).toString()).isEqualTo("it's\\odd\n:k");
        assertThat(r.get(1).toString()).isEqualTo("v");
        assertThat(r.get(2).toInteger()).isEqualTo(42);
        assertThat(redis.run("GET", "it's\\odd\n:k").toString()).isEqualTo("v");
    }

    @Test
    void evalshaFallsBackToLoadingTheScriptAgainAfterScriptFlush() {
        LuaScript script = SCRIPTS.load("prefixed");
        run(script, "a", "1");
        assertThat(known(script)).isTrue();

        redis.run("SCRIPT", "FLUSH");
        assertThat(known(script)).isFalse();

        assertThat(run(script, "a", "2").get(1).toString()).isEqualTo("2");
        assertThat(known(script)).isTrue();
    }

    @Test
    void aScriptRedisKnowsIsRunBySha() {
        LuaScript script = SCRIPTS.load("prefixed");
        run(script, "b", "1");
        redis.run("CONFIG", "RESETSTAT");
        run(script, "b", "2");
        run(script, "b", "3");
        String stats = redis.run("INFO", "commandstats").toString();
        assertThat(stats).contains("cmdstat_evalsha:calls=2,").doesNotContain("cmdstat_eval:");
    }

    @Test
    void aPlaceholderLeftUndefinedOrDefinedInVainFailsAtLoadNotInRedis() {
        assertThatThrownBy(() -> LuaScripts.in(LuaScriptTest.class, "/redis-toolkit/").load("undefined"))
                .hasMessageContaining("__NOT_DEFINED__").hasMessageContaining("not defined");
        assertThatThrownBy(() -> LuaScripts.in(LuaScriptTest.class, "/redis-toolkit/").define("__UNUSED__", 1).load("prefixed"))
                .hasMessageContaining("__UNUSED__");
        assertThatThrownBy(() -> LuaScripts.in(LuaScriptTest.class, "/redis-toolkit/").load("missing")).hasMessageContaining("/redis-toolkit/missing.lua");
    }
}
