package io.maestro.support.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a service's Lua scripts come from: a classpath folder, an optional lib prepended to every script (so one
 * {@code EVALSHA} is one atomic transition that has the shared helpers), and placeholders replaced once at load, e.g.
 * {@code LuaScripts.in(ElectionStore.class, "/election/lua/").withLib("lib").define("__KEY_PREFIX__", prefix).load("join")}.
 *
 * <p>A placeholder is written in Lua as a quoted string, {@code local P = '__KEY_PREFIX__'}, so the file stays valid
 * Lua; the quotes and all are replaced by a Lua string literal (properly escaped) or a number. A script that still
 * holds an undefined placeholder fails to load, as does a definition no script or lib uses.
 */
public final class LuaScripts {
    private static final Pattern PLACEHOLDER = Pattern.compile("'(__[A-Z0-9_]+__)'");

    private final Class<?> owner;
    private final String folder;
    private final String lib;
    private final Map<String, String> values;

    private LuaScripts(Class<?> owner, String folder, String lib, Map<String, String> values) {
        this.owner = owner;
        this.folder = folder.endsWith("/") ? folder : folder + "/";
        this.lib = lib;
        this.values = values;
    }

    /**
     * The scripts in classpath folder {@code folder} (e.g. {@code /lua/}), each {@code <name>.lua}, as the class loader
     * of {@code owner} (a class of the service) sees them: a library's own loader may not see the service's resources.
     */
    public static LuaScripts in(Class<?> owner, String folder) {
        return new LuaScripts(owner, folder, null, Map.of());
    }

    /** The toolkit's own scripts (the lease, the relay's cursor), in {@code service-support}'s {@code /service-support/lua/}. */
    public static LuaScripts toolkit() {
        return in(LuaScripts.class, "/service-support/lua/");
    }

    /** Prepends {@code <name>.lua} of the same folder to every script. */
    public LuaScripts withLib(String name) {
        return new LuaScripts(owner, folder, name, values);
    }

    /** Replaces {@code 'placeholder'} with {@code value} as a Lua string literal. */
    public LuaScripts define(String placeholder, String value) {
        return with(placeholder, quote(value));
    }

    /** Replaces {@code 'placeholder'} with the number {@code value}. */
    public LuaScripts define(String placeholder, long value) {
        return with(placeholder, Long.toString(value));
    }

    private LuaScripts with(String placeholder, String literal) {
        if (!PLACEHOLDER.matcher("'" + placeholder + "'").matches()) {
            throw new IllegalArgumentException("a placeholder looks like __NAME__ (capitals, digits, _): " + placeholder);
        }
        Map<String, String> next = new LinkedHashMap<>(values);
        next.put(placeholder, literal);
        return new LuaScripts(owner, folder, lib, next);
    }

    /** Reads the script (lib first) and replaces the placeholders. */
    public LuaScript load(String name) {
        String source = (lib == null ? "" : read(lib) + "\n") + read(name);
        for (String placeholder : values.keySet()) {
            if (!source.contains("'" + placeholder + "'")) {
                throw new IllegalStateException("placeholder " + placeholder + " is defined but not used by " + folder + name + ".lua"
                        + (lib == null ? "" : " nor its lib " + lib + ".lua"));
            }
        }
        StringBuilder out = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(source);
        while (m.find()) {
            String literal = values.get(m.group(1));
            if (literal == null) {
                throw new IllegalStateException(folder + name + ".lua uses placeholder " + m.group(1) + ", which is not defined");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(literal));
        }
        m.appendTail(out);
        return new LuaScript(name, out.toString());
    }

    /** {@code text} as a single-quoted Lua string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("'");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append("\\0");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private String read(String name) {
        String path = folder + name + ".lua";
        try (InputStream in = owner.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
