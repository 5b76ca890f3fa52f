package io.maestro.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The console's settings ({@code MAESTRO_CONSOLE_*}); README.md, "Console", has the table. */
@ConfigMapping(prefix = "maestro.console")
public interface ConsoleConfig {
    /**
     * The registry-service: its replicas' URLs separated by commas (or the Service in front of them). The console finds
     * every other service there, as the suite registers itself ({@code maestro.*}).
     */
    @WithDefault("http://127.0.0.1:8081")
    List<URI> registryUrl();

    /**
     * A suite token with {@code registry:read:maestro.*}, with which the console finds the services whoever signed in
     * ({@code ./maestro up} makes one). Unset: the signed-in user's token, which then needs that scope too.
     */
    Optional<String> discoveryToken();

    /** How long a call to a service may take before the page says it is unreachable. */
    @WithDefault("5s")
    Duration requestTimeout();

    /** Signing in. */
    Session session();

    /** The local administrator's sign-in link ({@code ./maestro up}); off unless both are set. */
    LoginLink loginLink();

    /** The overview's recent events of every topic, read from Kafka with the {@code kafka.*} settings (as the services'). */
    Events events();

    interface Events {
        /** How many of the latest events of each topic the overview shows. */
        @WithDefault("10")
        int perTopic();
    }

    interface Session {
        /** A session unused this long ends (a live page keeps it in use); it ends anyway when its token expires. */
        @WithDefault("12h")
        Duration idleTimeout();

        /**
         * At most this many sessions (signed in or on the sign-in page) at once; when full, the longest unused sign-in
         * page goes first, and a signed-in session only when there is none.
         */
        @WithDefault("10000")
        int maxSessions();
    }

    interface LoginLink {
        /**
         * The secret of {@code /login/link?code=...}, which signs in with the token of {@link #tokenFile()}: made
         * afresh by each {@code ./maestro up}, printed only to the person who ran it.
         */
        Optional<String> code();

        /** The token such a sign-in uses (the local admin's, {@code .maestro/auth/admin.token}). */
        Optional<Path> tokenFile();
    }
}
