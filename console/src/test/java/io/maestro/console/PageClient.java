package io.maestro.console;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A browser without script for page tests: keeps cookies, follows no redirect, parses what it gets (jsoup). */
final class PageClient {
    private final URI base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    record Page(int status, HttpResponse<String> response, Document html) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** The CSRF secret of the page's forms. */
        String csrf() {
            return html.selectFirst("input[name=csrf]").attr("value");
        }
    }

    PageClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The console of the running test application. */
    static PageClient console() {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return new PageClient(URI.create("http://127.0.0.1:" + port));
    }

    /** The next whole event of an event stream (up to its blank line, without comments), read within 20 s. */
    static String nextEvent(java.io.BufferedReader lines) throws Exception {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            StringBuilder event = new StringBuilder();
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty() && event.length() > 0) {
                        return event.toString();
                    }
                    if (!line.startsWith(":")) {
                        event.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return event.toString();
        }).get(20, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A query parameter's value, encoded. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    URI base() {
        return base;
    }

    Page get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
    }

    Page post(String path, Map<String, String> form, String... headers) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request, path);
    }

    /** Signs in with {@code token} through the sign-in form; answers the page the form's answer led to. */
    Page signIn(String token) throws IOException, InterruptedException {
        Page form = get("/login");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("csrf", form.csrf());
        fields.put("token", token);
        Page answer = post("/login", fields);
        return answer.status() == 303 ? get(answer.header("Location")) : answer;
    }

    /** The session cookie as the browser keeps it (null when none). */
    HttpCookie session() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("maestro-console")).findFirst().orElse(null);
    }

    HttpClient http() {
        return http;
    }

    private Page send(HttpRequest.Builder request, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return new Page(response.statusCode(), response, Jsoup.parse(response.body(), base.resolve(path).toString()));
    }
}
