package io.maestro.support.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.client.auth.Scopes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Access control of every {@code /v1} operation a service documents in {@code /q/openapi}: each is sent with no
 * token, a malformed one, an expired one, one signed by another key, a revoked one, one with every scope but the
 * operation's, and one with the operation's scope narrowed to other names; each must be refused (401, or 403 for a
 * valid token), as problem+json with {@code WWW-Authenticate}, and write nothing. Then with the operation's scope
 * (and, where it addresses a name, that scope narrowed to a glob matching the name) it must pass access control.
 * A service test extends this, on its {@code @QuarkusTest} application, with a {@link #writtenUnder(String)} that
 * can see its store.
 */
public abstract class AccessControlTests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> failures = new ArrayList<>();
    /** The service's parameterless lists: a refused write must not show in them. */
    private final List<String> lists = new ArrayList<>();
    private int sequence;

    /** What the service holds under {@code name} (in its store, not through its API), or null when nothing. */
    protected String writtenUnder(String name) {
        return null;
    }

    private record Scoped(HostileInputTests.Operation operation, String scope, String narrowedBy) {
    }

    @Test
    void everyOperationRefusesEveryTokenButOneWithItsScopeAndARefusedRequestWritesNothing() throws Exception {
        RawHttp.Response openApi = RawHttp.send(port(), "GET", "/q/openapi?format=json", Map.of("Accept", "application/json"), null);
        assertThat(openApi.status()).as("/q/openapi without a token").isEqualTo(200);
        for (String open : List.of("/q/health/live", "/q/health/ready", "/q/metrics")) {
            assertThat(RawHttp.send(port(), "GET", open, Map.of(), null).status()).as(open + " without a token").isEqualTo(200);
        }
        JsonNode document = JSON.readTree(openApi.body());
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).as("the bearer scheme, for Swagger UI").isEqualTo("bearer");
        List<Scoped> operations = new ArrayList<>();
        for (HostileInputTests.Operation operation : HostileInputTests.operations(document)) {
            JsonNode op = document.path("paths").path(operation.path()).path(operation.method().toLowerCase(Locale.ROOT));
            String scope = op.path("security").path(0).path("bearer").path(0).asText(null);
            if (scope == null) {
                failures.add(operation.method() + " " + operation.path() + ": declares no scope (@RequiresScope)");
                continue;
            }
            assertThat(op.path("responses").has("401") && op.path("responses").has("403"))
                    .as(operation.method() + " " + operation.path() + " documents 401 and 403").isTrue();
            operations.add(new Scoped(operation, scope, op.path("x-maestro-scope").path("narrowedBy").asText(null)));
        }
        assertThat(operations).as("operations with a scope").isNotEmpty();
        operations.stream().map(Scoped::operation).filter(o -> o.method().equals("GET") && o.parameters().isEmpty() && !o.streams())
                .map(HostileInputTests.Operation::path).forEach(lists::add);

        String revoked = Tokens.revoked();
        Scoped probe = operations.get(0);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(send(probe, fresh(probe), "Bearer " + revoked).status()).as("the revoked token, within 5 s").isEqualTo(401));

        // A token admitted once (and so remembered as verified) is refused the second it expires.
        String shortLived = Tokens.issuer().issue("short-lived", List.of("admin"), Duration.ofSeconds(2)).token();
        expectAdmitted(probe, "a token about to expire", send(probe, fresh(probe), "Bearer " + shortLived));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(send(probe, fresh(probe), "Bearer " + shortLived).body()).as("once expired").contains("expired"));

        Map<String, Supplier<String>> unauthenticated = new LinkedHashMap<>();
        unauthenticated.put("no token", () -> null);
        unauthenticated.put("not a JWT", () -> "Bearer not-a-jwt");
        unauthenticated.put("not a bearer token", () -> "Basic dXNlcjpwYXNz");
        unauthenticated.put("expired", () -> "Bearer " + Tokens.expired());
        unauthenticated.put("signed by another key", () -> "Bearer " + Tokens.signedByAnotherKey());
        unauthenticated.put("revoked", () -> "Bearer " + revoked);
        int sent = 0;
        for (Scoped operation : operations) {
            for (Map.Entry<String, Supplier<String>> token : unauthenticated.entrySet()) {
                String name = fresh(operation);
                expectRefused(operation, token.getKey(), name, send(operation, name, token.getValue().get()), 401);
                sent++;
            }
            List<String> others = new ArrayList<>(Scopes.KNOWN);
            others.remove(operation.scope());
            String name = fresh(operation);
            expectRefused(operation, "every other scope", name,
                    send(operation, name, "Bearer " + Tokens.of("other-scopes", others.toArray(String[]::new))), 403);
            name = fresh(operation);
            RawHttp.Response narrowed = send(operation, name, "Bearer " + Tokens.of("narrowed", operation.scope() + ":zz-other-*"));
            if ("body".equals(operation.narrowedBy()) && narrowed.status() == 400) {
                checkNothingWritten(operation, "narrowed to another name (a body the service refused first)", name);
            } else {
                expectRefused(operation, "narrowed to another name", name, narrowed, 403);
            }
            sent += 2;

            name = fresh(operation);
            expectAdmitted(operation, "its scope", send(operation, name, "Bearer " + Tokens.of("right-scope", operation.scope())));
            name = fresh(operation);
            RawHttp.Response matching = send(operation, name, "Bearer " + Tokens.of("narrowed-right", operation.scope() + ":" + name.substring(0, 4) + "*"));
            if (operation.narrowedBy() == null) {
                expectRefused(operation, "narrowed (an operation over every name)", name, matching, 403);
            } else {
                expectAdmitted(operation, "its scope narrowed to a glob matching the name", matching);
            }
            sent += 2;
        }
        System.out.printf("access control: %d requests to %d operations%n", sent, operations.size());
        assertThat(failures).as("answers that break access control").isEmpty();
    }

    private void expectRefused(Scoped operation, String token, String name, RawHttp.Response response, int status) {
        String what = operation.operation().method() + " " + operation.operation().path() + " [" + token + "]: ";
        if (response.status() != status) {
            failures.add(what + "answered " + response.status() + " instead of " + status + ": " + abbreviate(response.body()));
            return;
        }
        if (!String.valueOf(response.header("content-type")).startsWith("application/problem+json")) {
            failures.add(what + status + " is not problem+json");
        }
        String challenge = String.valueOf(response.header("www-authenticate"));
        if (!challenge.startsWith("Bearer")) {
            failures.add(what + status + " without WWW-Authenticate: Bearer");
        }
        if (status == 403 && !response.body().contains(operation.scope())) {
            failures.add(what + "403 does not name the missing scope " + operation.scope() + ": " + abbreviate(response.body()));
        }
        if (response.body().contains("eyJ")) {
            failures.add(what + "the answer echoes a token");
        }
        checkNothingWritten(operation, token, name);
    }

    private void checkNothingWritten(Scoped operation, String token, String name) {
        if (operation.operation().method().equals("GET")) {
            return;
        }
        String what = operation.operation().method() + " " + operation.operation().path() + " [" + token + "]: ";
        String trace = writtenUnder(name);
        if (trace != null) {
            failures.add(what + "refused yet wrote " + abbreviate(trace));
        }
        for (String list : lists) {
            try {
                RawHttp.Response seen = RawHttp.send(port(), "GET", list, Map.of("Authorization", Tokens.bearer(Tokens.admin())), null);
                if (seen.status() == 200 && seen.body().contains(name)) {
                    failures.add(what + "refused yet GET " + list + " shows it: " + abbreviate(seen.body()));
                }
            } catch (IOException e) {
                failures.add(what + "GET " + list + " failed afterwards: " + e.getMessage());
            }
        }
    }

    private void expectAdmitted(Scoped operation, String token, RawHttp.Response response) {
        String what = operation.operation().method() + " " + operation.operation().path() + " [" + token + "]: ";
        boolean refusedByAccessControl = response.status() == 401
                || response.status() == 403 && String.valueOf(response.header("www-authenticate")).startsWith("Bearer");
        if (refusedByAccessControl || response.status() >= 500) {
            failures.add(what + "answered " + response.status() + ": " + abbreviate(response.body()));
        }
    }

    private RawHttp.Response send(Scoped operation, String name, String authorization) throws IOException {
        String target = operation.operation().path();
        for (JsonNode parameter : operation.operation().parameters()) {
            if (parameter.path("in").asText().equals("path")) {
                target = target.replace("{" + parameter.path("name").asText() + "}", name);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        byte[] body = null;
        if (operation.operation().bodySchema() != null) {
            body = HostileInputTests.sample(operation.operation().bodySchema(), name).toString().getBytes(StandardCharsets.UTF_8);
            headers.put("Content-Type", "application/json");
        }
        return RawHttp.send(port(), operation.operation().method(), target, headers, body);
    }

    private String fresh(Scoped operation) {
        return "acl-" + (++sequence) + "-" + Long.toString(System.nanoTime() % 100_000, 36);
    }

    private static int port() {
        return HostileInputTests.port();
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
