package io.maestro.support.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every REST Assured request of a service test carries the test admin token unless it sends its own
 * {@code Authorization} or the header {@value #ANONYMOUS} (which is removed before sending): the tests of a service
 * are about what it does; what access control refuses is {@code AccessControlTests}'.
 *
 * <p>Keeps each service's OpenAPI document in step with what it answers: every REST Assured call of every
 * {@code @QuarkusTest} of a service goes through this filter, which fails the test when a {@code /v1} operation
 * answers a status its operation does not list. Registered for every service that has service-support's test-jar
 * (META-INF/services), so a new status in a resource without its {@code @APIResponse} fails the build.
 */
public class DocumentedStatuses implements QuarkusTestBeforeEachCallback, Filter {
    /** A request with this header is sent without a token. */
    public static final String ANONYMOUS = "X-Test-Anonymous";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Operations operations;

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        synchronized (DocumentedStatuses.class) {
            if (RestAssured.filters().stream().noneMatch(f -> f instanceof DocumentedStatuses)) {
                RestAssured.filters(this);
            }
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
        if (request.getHeaders().hasHeaderWithName(ANONYMOUS)) {
            request.removeHeader(ANONYMOUS);
        } else if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", Tokens.bearer(Tokens.admin()));
        }
        Response answer = context.next(request, response);
        String path = URI.create(request.getURI()).getRawPath();
        if (!path.startsWith("/v1/")) {
            return answer;
        }
        Set<String> documented = operations(request.getPort()).statuses(request.getMethod(), path);
        String status = Integer.toString(answer.statusCode());
        if (documented != null && !documented.contains(status) && !documented.contains("default")) {
            throw new AssertionError(request.getMethod() + " " + path + " answered " + status
                    + ", which its OpenAPI operation does not document (it lists " + documented + "); add an @APIResponse");
        }
        return answer;
    }

    private static Operations operations(int port) {
        Operations known = operations;
        if (known == null || known.port != port) { // read once per running application (test profile)
            try {
                known = new Operations(port, JSON.readTree(RawHttp.send(port, "GET", "/q/openapi?format=json", Map.of(), null).body()));
            } catch (IOException e) {
                throw new AssertionError("cannot read /q/openapi to check the answer's status", e);
            }
            operations = known;
        }
        return known;
    }

    /** The operations of one document: a path template as a pattern, its method, its statuses. */
    private static final class Operations {
        private record Entry(String method, Pattern path, Set<String> statuses) {
        }

        final int port;
        private final List<Entry> entries = new ArrayList<>();

        Operations(int port, JsonNode document) {
            this.port = port;
            for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                Pattern pattern = Pattern.compile(path.getKey().replaceAll("\\{[^}]+}", "[^/]+").replace(".", "\\."));
                path.getValue().fields().forEachRemaining(operation -> {
                    if (!operation.getKey().equals("parameters")) {
                        Set<String> statuses = new HashSet<>();
                        operation.getValue().path("responses").fieldNames().forEachRemaining(statuses::add);
                        entries.add(new Entry(operation.getKey().toUpperCase(Locale.ROOT), pattern, statuses));
                    }
                });
            }
            // Literal paths before templates: /v1/entities/bulk is not /v1/entities/{name}.
            entries.sort((a, b) -> Long.compare(literalLength(b.path.pattern()), literalLength(a.path.pattern())));
        }

        private static long literalLength(String pattern) {
            return pattern.replace("[^/]+", "").length();
        }

        /** The statuses of the operation that serves this request, or null when the document has none. */
        Set<String> statuses(String method, String path) {
            for (Entry entry : entries) {
                if (entry.method.equals(method) && entry.path.matcher(path).matches()) {
                    return entry.statuses;
                }
            }
            return null;
        }
    }
}
