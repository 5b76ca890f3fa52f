package io.maestro.console;

import io.quarkus.qute.TemplateExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** What the templates may do to text besides printing it (escaped): encode it for a URL, lower its case. */
@TemplateExtension
public final class TemplateExtensions {
    private TemplateExtensions() {
    }

    /** As one path segment or query value of a URL ({@code %20} for a space). */
    public static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
