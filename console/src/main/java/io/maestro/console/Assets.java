package io.maestro.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The browser libraries the pages load, from their WebJars on the classpath (served under {@code /webjars/}, never
 * fetched at run time): their paths carry the version the build resolved, so the pom is the one place it is set.
 */
@ApplicationScoped
@Named("assets")
public class Assets {
    private final String htmx = "/webjars/htmx.org/" + version("htmx.org") + "/dist/htmx.min.js";
    private final String htmxSse = "/webjars/htmx-ext-sse/" + version("htmx-ext-sse") + "/sse.js";

    public String htmx() {
        return htmx;
    }

    public String htmxSse() {
        return htmxSse;
    }

    private static String version(String webjar) {
        String file = "META-INF/maven/org.webjars.npm/" + webjar + "/pom.properties";
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the WebJar " + webjar + " is missing from the classpath (" + file + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
