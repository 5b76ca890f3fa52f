package io.maestro.client.auth;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The suite's scopes: {@code <service>:<verb>} (what a token allows), optionally narrowed to names by a glob
 * ({@code registry:register:payments.*}: only services whose name matches), and {@code admin}, which holds all.
 * One grammar for whoever mints tokens (the CLI, the runner) and whoever checks them (every service).
 */
public final class Scopes {
    public static final String ADMIN = "admin";

    /** Every scope a service checks; a token naming another is refused when it is minted (a typo grants nothing). */
    public static final List<String> KNOWN = List.of(
            "registry:read", "registry:register",
            "election:read", "election:campaign",
            "inventory:read", "inventory:write", "inventory:allocate",
            "provisioner:read", "provisioner:launch", "provisioner:exec", "provisioner:destroy",
            "metrics:read");

    /** The glob of a narrowed scope: the characters of the suite's names, and {@code *} for any run of them. */
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._*-]{1,253}");

    /** One scope of a token: {@code service:verb}, and the glob that narrows it to names, if any. */
    public record Scope(String scope, String glob) {
        /** Whether this scope allows {@code required} on {@code name} (null: an operation that addresses no one name). */
        public boolean allows(String required, String name) {
            if (scope.equals(ADMIN)) {
                return true;
            }
            if (!scope.equals(required)) {
                return false;
            }
            return glob == null || (name != null && matches(glob, name));
        }

        @Override
        public String toString() {
            return glob == null ? scope : scope + ":" + glob;
        }
    }

    /** Parses one scope; an unknown scope or a bad glob is an {@link IllegalArgumentException} saying which rule. */
    public static Scope parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a scope must not be empty");
        }
        if (text.equals(ADMIN)) {
            return new Scope(ADMIN, null);
        }
        String[] parts = text.split(":", 3);
        if (parts.length < 2) {
            throw new IllegalArgumentException("scope '" + text + "' must be admin or <service>:<verb>[:<name glob>]");
        }
        String scope = parts[0] + ":" + parts[1];
        if (!KNOWN.contains(scope)) {
            throw new IllegalArgumentException("unknown scope '" + scope + "'; known scopes: admin, " + String.join(", ", KNOWN));
        }
        if (parts.length == 3 && !GLOB.matcher(parts[2]).matches()) {
            throw new IllegalArgumentException("the name glob of scope '" + text
                    + "' must be 1 to 253 of A-Z a-z 0-9 . _ - and * (any run of characters)");
        }
        return new Scope(scope, parts.length == 3 ? parts[2] : null);
    }

    /**
     * Parses the scopes a service found in a token. One it does not know (minted by a newer suite) grants nothing
     * rather than failing the whole token.
     */
    public static List<Scope> lenient(Collection<String> texts) {
        return texts.stream().map(text -> {
            try {
                return Optional.of(parse(text));
            } catch (IllegalArgumentException e) {
                return Optional.<Scope>empty();
            }
        }).flatMap(Optional::stream).toList();
    }

    /** Whether any of {@code scopes} allows {@code required} on {@code name}. */
    public static boolean allows(Collection<Scope> scopes, String required, String name) {
        return scopes.stream().anyMatch(scope -> scope.allows(required, name));
    }

    /** Whether any of {@code scopes} is {@code required} in some form (narrowed or not), or admin. */
    public static boolean allowsSomeName(Collection<Scope> scopes, String required) {
        return scopes.stream().anyMatch(scope -> scope.scope().equals(ADMIN) || scope.scope().equals(required));
    }

    /** Glob match: {@code *} is any run of characters, everything else stands for itself. */
    public static boolean matches(String glob, String name) {
        int g = 0;
        int n = 0;
        int star = -1;
        int afterStar = 0;
        while (n < name.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                afterStar = n;
            } else if (g < glob.length() && glob.charAt(g) == name.charAt(n)) {
                g++;
                n++;
            } else if (star >= 0) {
                g = star + 1;
                n = ++afterStar;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    private Scopes() {
    }
}
