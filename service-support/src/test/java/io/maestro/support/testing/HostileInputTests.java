package io.maestro.support.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hostile caller against every operation the service documents: walks the service's own {@code /q/openapi} and
 * sends, to each operation, malformed and trailing JSON, wrong types, missing and unknown fields, huge and negative
 * numbers, 100 KB strings, a 5 MB body, U+0000 and control characters, dot segments and encoded slashes, bad
 * escapes, very long names, wrong content types and missing or wrong tokens. Every answer must be below 500; every
 * 4xx a problem+json whose {@code status} is the HTTP status, short, without a Java class name or stack trace, and
 * one the operation documents; a rejected request writes nothing; the service is ready afterwards.
 *
 * <p>Seeded ({@code -Dmaestro.hostile.seed=N} replays a run) and bounded in count and time. A service's test
 * extends this with {@code @QuarkusTest} and its test resource; {@link #writtenUnder} says where a write under a
 * name would show.
 */
public abstract class HostileInputTests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(?:java|javax|jakarta|io\\.maestro|io\\.quarkus|io\\.vertx|io\\.smallrye|com\\.fasterxml|org\\.jboss|org\\.hibernate)\\.[a-z]");
    private static final Pattern STACK_TRACE = Pattern.compile("\\bat [\\w$.]+\\([\\w]+\\.java:\\d+\\)|Exception:|\\$[A-Z]\\w*Request\\b");
    /** An error body is for a person to read: anything longer echoes input. */
    private static final int MAX_ERROR_BODY = 4096;
    private static final String LONG_NAME = "a".repeat(300);
    private static final String HUGE_SEGMENT = "b".repeat(17_000);

    /** Path segments a hostile caller tries in every path parameter (as sent, already percent-encoded). */
    private static final List<String> HOSTILE_SEGMENTS = List.of(
            "%2E%2E", "%2e", "..", ".", ".%2E", "a%2Fb", "a%2fb", "a%5Cb", "x%00", "%00", "%zz", "x%", "%1",
            "UPPER", "sp%20ace", "tab%09", "%01%1F%7F", "%F0%9F%92%A3", "%E2%80%AE-rtl", "%C0%AE%C0%AE", "-lead",
            "a%3Bb", "semi;colon", LONG_NAME, HUGE_SEGMENT, "%25", "*", "%2A");
    private static final java.util.Set<String> NEVER_VALID_SEGMENTS = java.util.Set.of(
            "%2E%2E", "%2e", "..", ".", ".%2E", "a%2Fb", "a%2fb", "a%5Cb", "x%00", "%00", "%zz", "x%", "%1", HUGE_SEGMENT);
    private static final java.util.Set<String> NEVER_VALID_QUERY_VALUES = java.util.Set.of("%00", "x%00y", "%zz");
    private static final java.util.Set<String> NEVER_VALID_BODIES = java.util.Set.of(
            "malformed JSON", "trailing JSON", "trailing garbage", "not JSON", "deeply nested");
    /** Query values, as sent. */
    private static final List<String> HOSTILE_QUERY_VALUES = List.of(
            "%00", "x%00y", "%zz", "", "-1", "0", "99999999999999999999999", "1e400", "NaN", "abc", "%2E%2E",
            "%28".repeat(2000), "a".repeat(5000), "%01%02", "true", "%5B%5D", "%7B%7D");

    /** Upper bounds of one run: the whole walk stays within these whatever the document holds. */
    protected int maxRequests() {
        return 2500;
    }

    protected Duration timeBudget() {
        return Duration.ofMinutes(4);
    }

    protected long seed() {
        return Long.getLong("maestro.hostile.seed", 20261130L);
    }

    /**
     * What a write under {@code name} left behind (it names every path parameter and every string of the body), or
     * null when nothing: asked after each rejected request that is not a GET. The service's parameterless lists are
     * checked for the name anyway.
     */
    protected String writtenUnder(String name) {
        return null;
    }

    /** Headers every request carries: an admin token, so what is checked is the input, not the access. */
    protected Map<String, String> baseHeaders() {
        return Map.of("Authorization", Tokens.bearer(Tokens.admin()));
    }

    private final List<String> failures = new ArrayList<>();
    private final Map<Integer, Integer> statusCounts = new java.util.TreeMap<>();
    private int sent;
    private int sequence;
    private Random random;

    @Test
    void hostileRequestsToEveryDocumentedOperationAreAnsweredWithClearProblemsAndWriteNothing() throws Exception {
        random = new Random(seed());
        long deadline = System.nanoTime() + timeBudget().toNanos();
        JsonNode document = JSON.readTree(RawHttp.send(port(), "GET", "/q/openapi?format=json", Map.of("Accept", "application/json"), null).body());
        List<Operation> operations = operations(document);
        assertThat(operations).as("operations in /q/openapi").isNotEmpty();
        List<Probe> probes = new ArrayList<>();
        for (Operation operation : operations) {
            probes.addAll(probes(operation, document));
        }
        java.util.Collections.shuffle(probes, random);
        List<String> lists = operations.stream().filter(o -> o.method.equals("GET") && o.parameters.isEmpty() && !o.streams)
                .map(o -> o.path).toList();
        long started = System.nanoTime();
        for (Probe probe : probes) {
            if (sent >= maxRequests() || System.nanoTime() > deadline) {
                break;
            }
            run(probe, lists);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int serverErrors = statusCounts.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
        System.out.printf("hostile input: %d requests (of %d generated) to %d operations in %.1f s, seed %d; 5xx: %d; statuses %s%n",
                sent, probes.size(), operations.size(), seconds, seed(), serverErrors, statusCounts);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(RawHttp.send(port(), "GET", "/q/health/ready", Map.of(), null).status()).as("readiness afterwards").isEqualTo(200));
        assertThat(sent).as("requests sent (the walk must cover the operations)").isGreaterThanOrEqualTo(Math.min(probes.size(), maxRequests()) / 2);
        assertThat(failures).as("answers that break the contract (seed " + seed() + ")").isEmpty();
    }

    /** Values no watch cursor may take: garbage, negative, past a long, fractional, 10 KB. */
    protected static final List<String> HOSTILE_CURSORS = List.of(
            "yesterday", "-1", "-0-1", "99999999999999999999999", "1.5", "0x10", "1e3", "1-", "-", "x".repeat(10 * 1024));

    /**
     * Each hostile cursor, and each of {@code more}, as the {@code field} of {@code GET path} (a header, or a query
     * parameter when {@code query}): a 400 problem+json whose errors name {@code field} and {@code rule}, never a 5xx
     * nor an event stream.
     */
    protected void assertCursorsRejected(String path, String field, boolean query, String rule, String... more) throws IOException {
        List<String> values = new ArrayList<>(HOSTILE_CURSORS);
        values.addAll(List.of(more));
        for (String value : values) {
            Map<String, String> headers = new LinkedHashMap<>(baseHeaders());
            String target = path;
            if (query) {
                target += "?" + field + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
            } else {
                headers.put(field, value);
            }
            RawHttp.Response response = RawHttp.send(port(), "GET", target, headers, null);
            String label = field + "=" + abbreviate(value) + " on GET " + path;
            assertThat(response.status()).as(label + ": " + abbreviate(response.body())).isEqualTo(400);
            assertThat(response.header("content-type")).as(label).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).as(label).isEqualTo(400);
            assertThat(problem.path("errors").findValuesAsText("field")).as(label).containsExactly(field);
            assertThat(problem.path("errors").findValuesAsText("rule")).as(label).containsExactly(rule);
        }
    }

    private void run(Probe probe, List<String> lists) {
        sent++;
        RawHttp.Response response;
        try {
            Map<String, String> headers = new LinkedHashMap<>(baseHeaders());
            headers.putAll(probe.headers);
            response = RawHttp.send(port(), probe.operation.method, probe.target, headers, probe.body);
        } catch (IOException | RuntimeException e) {
            fail(probe, "no answer: " + e.getMessage());
            return;
        }
        statusCounts.merge(response.status(), 1, Integer::sum);
        int status = response.status();
        if (status >= 500) {
            fail(probe, "answered " + status + ": " + abbreviate(response.body()));
            return;
        }
        if (response.cutShort()) {
            fail(probe, "answered " + status + " with an event stream that broke off before its end (an error after the headers were sent)");
        }
        if (probe.mustReject && status < 400) {
            fail(probe, "was accepted (" + status + ") though it can never be valid");
        }
        String documented = Integer.toString(status);
        if (!probe.operation.statuses.contains(documented) && !probe.operation.statuses.contains("default")) {
            fail(probe, "answered " + status + ", which the operation does not document (it lists " + probe.operation.statuses + ")");
        }
        if (status >= 400) {
            checkProblem(probe, response);
            if (!probe.operation.method.equals("GET")) {
                checkNothingWritten(probe, lists);
            }
        }
    }

    private void checkProblem(Probe probe, RawHttp.Response response) {
        String type = String.valueOf(response.header("content-type"));
        if (!type.startsWith("application/problem+json")) {
            fail(probe, response.status() + " with content type " + type + " instead of application/problem+json: " + abbreviate(response.body()));
            return;
        }
        String body = response.body();
        if (body.length() > MAX_ERROR_BODY) {
            fail(probe, response.status() + " with a " + body.length() + "-character body: " + abbreviate(body));
        }
        if (JAVA_NAME.matcher(body).find() || STACK_TRACE.matcher(body).find()) {
            fail(probe, "a Java name or stack trace in the answer: " + abbreviate(body));
        }
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem.path("status").asInt() != response.status()) {
                fail(probe, "problem status " + problem.path("status") + " differs from HTTP " + response.status());
            }
            if (problem.path("title").asText().isEmpty()) {
                fail(probe, "problem without a title: " + abbreviate(body));
            }
        } catch (IOException e) {
            fail(probe, "problem+json that is not JSON: " + abbreviate(body));
        }
    }

    private void checkNothingWritten(Probe probe, List<String> lists) {
        String trace = writtenUnder(probe.name);
        if (trace != null) {
            fail(probe, "was rejected yet wrote: " + abbreviate(trace));
        }
        for (String target : lists) {
            try {
                RawHttp.Response seen = RawHttp.send(port(), "GET", target, baseHeaders(), null);
                if (seen.status() == 200 && seen.body().contains(probe.name)) {
                    fail(probe, "was rejected (" + seen.status() + ") yet GET " + target + " shows what it sent: " + abbreviate(seen.body()));
                }
            } catch (IOException e) {
                fail(probe, "GET " + target + " failed after the request: " + e.getMessage());
            }
        }
    }

    private void fail(Probe probe, String what) {
        if (failures.size() < 200) {
            failures.add(probe.operation.method + " " + probe.operation.path + " [" + probe.label + "]: " + what);
        }
    }

    // ---- what to send -------------------------------------------------------------------------------------------

    record Operation(String method, String path, List<JsonNode> parameters, JsonNode bodySchema,
                             List<String> statuses, boolean streams) {
    }

    /** One request; {@code mustReject}: any answer below 400 is a defect (the input can never be right). */
    private record Probe(Operation operation, String label, String target, Map<String, String> headers, byte[] body, String name,
                         boolean mustReject) {
    }

    static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/v1")) {
                continue;
            }
            List<JsonNode> shared = new ArrayList<>();
            path.getValue().path("parameters").forEach(shared::add);
            for (String method : List.of("get", "put", "post", "patch", "delete")) {
                JsonNode op = path.getValue().get(method);
                if (op == null) {
                    continue;
                }
                List<JsonNode> parameters = new ArrayList<>(shared);
                op.path("parameters").forEach(parameters::add);
                JsonNode body = op.path("requestBody").path("content").path("application/json").path("schema");
                List<String> statuses = new ArrayList<>();
                op.path("responses").fieldNames().forEachRemaining(statuses::add);
                boolean streams = op.path("responses").toString().contains("text/event-stream");
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), parameters,
                        body.isMissingNode() ? null : resolve(document, body), statuses, streams));
            }
        }
        return operations;
    }

    private List<Probe> probes(Operation op, JsonNode document) {
        List<Probe> probes = new ArrayList<>();
        List<JsonNode> pathParameters = op.parameters.stream().filter(p -> p.path("in").asText().equals("path")).toList();
        List<JsonNode> queryParameters = op.parameters.stream().filter(p -> p.path("in").asText().equals("query")).toList();
        List<JsonNode> headerParameters = op.parameters.stream().filter(p -> p.path("in").asText().equals("header")).toList();

        // every path parameter in turn gets every hostile segment
        for (JsonNode parameter : pathParameters) {
            for (String segment : HOSTILE_SEGMENTS) {
                String name = freshName();
                Map<String, String> values = pathValues(pathParameters, name);
                values.put(parameter.path("name").asText(), segment);
                probes.add(probe(op, "path " + parameter.path("name").asText() + "=" + abbreviate(segment), values, "",
                        Map.of(), validBody(op, name), name, NEVER_VALID_SEGMENTS.contains(segment)));
            }
        }
        // every query parameter in turn gets every hostile value
        for (JsonNode parameter : queryParameters) {
            for (String value : HOSTILE_QUERY_VALUES) {
                String name = freshName();
                probes.add(probe(op, "query " + parameter.path("name").asText() + "=" + abbreviate(value), pathValues(pathParameters, name),
                        "?" + parameter.path("name").asText() + "=" + value, Map.of(), validBody(op, name), name,
                        NEVER_VALID_QUERY_VALUES.contains(value)));
            }
            String name = freshName();
            probes.add(probe(op, "query parameter twice", pathValues(pathParameters, name),
                    "?" + parameter.path("name").asText() + "=1&" + parameter.path("name").asText() + "=2", Map.of(), validBody(op, name), name, false));
        }
        // an unknown and an encoded-NUL-named query parameter
        String unknownName = freshName();
        probes.add(probe(op, "unknown query parameter with U+0000", pathValues(pathParameters, unknownName), "?x%00y=1",
                Map.of(), validBody(op, unknownName), unknownName, true));
        // header parameters (tokens, preconditions): wrong, huge
        for (JsonNode parameter : headerParameters) {
            for (String value : List.of("not-a-token", "x".repeat(10_000), "\"*\"", "W/\"1\"", "-1")) {
                String name = freshName();
                probes.add(probe(op, "header " + parameter.path("name").asText() + "=" + abbreviate(value), pathValues(pathParameters, name), "",
                        Map.of(parameter.path("name").asText(), value), validBody(op, name), name, false));
            }
        }
        if (op.bodySchema != null) {
            probes.addAll(bodyProbes(op, pathParameters));
        } else if (!op.method.equals("GET") && !op.method.equals("DELETE")) {
            String name = freshName();
            probes.add(probe(op, "an unexpected JSON body", pathValues(pathParameters, name), "", Map.of(),
                    "{\"x\":1}{".getBytes(StandardCharsets.UTF_8), name, false));
        }
        return probes;
    }

    private List<Probe> bodyProbes(Operation op, List<JsonNode> pathParameters) {
        List<Probe> probes = new ArrayList<>();
        Function<String, Map<String, String>> path = name -> pathValues(pathParameters, name);
        Map<String, Function<String, String>> whole = new LinkedHashMap<>();
        whole.put("malformed JSON", name -> "{\"" + name + "\": ");
        whole.put("trailing JSON", name -> sample(op.bodySchema, name).toString() + "{\"again\":1}");
        whole.put("trailing garbage", name -> sample(op.bodySchema, name).toString() + " x");
        whole.put("not JSON", name -> "name=" + name);
        whole.put("an array", name -> "[" + sample(op.bodySchema, name) + "]");
        whole.put("null", name -> "null");
        whole.put("a string", name -> "\"" + name + "\"");
        whole.put("a number", name -> "12");
        whole.put("empty", name -> "");
        whole.put("deeply nested", name -> "{\"" + name + "\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        whole.put("unknown field", name -> ((ObjectNode) objectOr(sample(op.bodySchema, name))).put("unexpected-" + name, 1).toString());
        whole.put("5 MB string", name -> "{\"name\":\"" + name + "\",\"x\":\"" + "y".repeat(5 << 20) + "\"}");
        whole.put("U+0000 in a key", name -> "{\"" + name + "\\u0000\":1}");
        for (Map.Entry<String, Function<String, String>> variant : whole.entrySet()) {
            String name = freshName();
            probes.add(probe(op, "body: " + variant.getKey(), path.apply(name), "", Map.of(),
                    variant.getValue().apply(name).getBytes(StandardCharsets.UTF_8), name, NEVER_VALID_BODIES.contains(variant.getKey())));
        }
        // wrong content types carry a valid body
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
            String name = freshName();
            probes.add(probe(op, "content type " + type, path.apply(name), "", Map.of("Content-Type", type), validBody(op, name), name, true));
        }
        // each field in turn: missing, null, wrong types, extreme values
        JsonNode template = sample(op.bodySchema, "template");
        if (template.isObject()) {
            for (Iterator<String> fields = template.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                JsonNode fieldSchema = op.bodySchema.path("properties").path(field);
                for (Map.Entry<String, Function<String, JsonNode>> value : fieldValues().entrySet()) {
                    String name = freshName();
                    ObjectNode body = (ObjectNode) sample(op.bodySchema, name);
                    JsonNode replacement = value.getValue().apply(name);
                    if (replacement == null) {
                        body.remove(field);
                    } else {
                        body.set(field, replacement);
                    }
                    boolean nulInAString = value.getKey().equals("U+0000 in a string") && type(fieldSchema).equals("string")
                            || value.getKey().equals("array with U+0000") && type(fieldSchema.path("items")).equals("string");
                    probes.add(probe(op, "body " + field + ": " + value.getKey(), path.apply(name), "", Map.of(),
                            body.toString().getBytes(StandardCharsets.UTF_8), name, nulInAString));
                }
            }
        }
        return probes;
    }

    private Map<String, Function<String, JsonNode>> fieldValues() {
        Map<String, Function<String, JsonNode>> values = new LinkedHashMap<>();
        values.put("missing", name -> null);
        values.put("null", name -> NODES.nullNode());
        values.put("a string", name -> NODES.textNode(name));
        values.put("a number", name -> NODES.numberNode(42));
        values.put("true", name -> NODES.booleanNode(true));
        values.put("an object", name -> NODES.objectNode().put("name", name));
        values.put("an array", name -> NODES.arrayNode().add(name).add(7));
        values.put("negative", name -> NODES.numberNode(-1));
        values.put("huge integer", name -> NODES.numberNode(new java.math.BigInteger("9".repeat(40))));
        values.put("huge decimal", name -> NODES.numberNode(new java.math.BigDecimal("1e400")));
        values.put("100 KB string", name -> NODES.textNode(name + "z".repeat(100_000)));
        values.put("U+0000 in a string", name -> NODES.textNode(name + "\u0000x"));
        values.put("control characters", name -> NODES.textNode(name + "\u0001\u001b[31m\u007f"));
        values.put("a long name", name -> NODES.textNode(name + "-" + "n".repeat(200)));
        values.put("random unicode", name -> NODES.textNode(name + randomUnicode()));
        values.put("array with U+0000", name -> NODES.arrayNode().add(name + "\u0000"));
        return values;
    }

    private Probe probe(Operation op, String label, Map<String, String> pathValues, String query, Map<String, String> headers,
                        byte[] body, String name, boolean mustReject) {
        String target = op.path;
        for (Map.Entry<String, String> value : pathValues.entrySet()) {
            target = target.replace("{" + value.getKey() + "}", value.getValue());
        }
        Map<String, String> allHeaders = new LinkedHashMap<>();
        if (body != null) {
            allHeaders.put("Content-Type", "application/json");
        }
        allHeaders.putAll(headers);
        return new Probe(op, label, target + query, allHeaders, body, name, mustReject);
    }

    private static Map<String, String> pathValues(List<JsonNode> pathParameters, String name) {
        Map<String, String> values = new LinkedHashMap<>();
        pathParameters.forEach(p -> values.put(p.path("name").asText(), name));
        return values;
    }

    private byte[] validBody(Operation op, String name) {
        return op.bodySchema == null ? null : sample(op.bodySchema, name).toString().getBytes(StandardCharsets.UTF_8);
    }

    private String freshName() {
        return "hostile-" + (++sequence) + "-" + Integer.toString(random.nextInt(1 << 20), 36);
    }

    private String randomUnicode() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            int codePoint;
            do {
                codePoint = random.nextInt(0x2FFFF) + 1;
            } while (Character.isSurrogate((char) codePoint) || !Character.isDefined(codePoint));
            out.appendCodePoint(codePoint);
        }
        return out.toString();
    }

    /** A body that follows the schema's shape, with {@code name} in every string. */
    static JsonNode sample(JsonNode schema, String name) {
        return sample(schema, name, 0);
    }

    private static JsonNode sample(JsonNode schema, String name, int depth) {
        if (depth > 4 || schema == null || schema.isMissingNode()) {
            return NODES.textNode(name);
        }
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        String type = type(schema);
        switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                schema.path("properties").fields().forEachRemaining(p -> object.set(p.getKey(), sample(p.getValue(), name, depth + 1)));
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                array.add(sample(schema.path("items"), name, depth + 1));
                return array;
            }
            case "integer" -> {
                return NODES.numberNode(Math.max(1, schema.path("minimum").asInt(1)));
            }
            case "number" -> {
                return NODES.numberNode(1.0);
            }
            case "boolean" -> {
                return NODES.booleanNode(false);
            }
            default -> {
                return NODES.textNode(name);
            }
        }
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        if (type.isTextual()) {
            return type.asText();
        }
        return schema.has("properties") ? "object" : "string";
    }

    private static JsonNode objectOr(JsonNode node) {
        return node.isObject() ? node : NODES.objectNode();
    }

    /** Inlines {@code $ref}s (bounded, as schemas may be recursive). */
    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        return resolve(document, schema, 0);
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema, int depth) {
        if (depth > 6) {
            return schema;
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            JsonNode target = document.at(ref.substring(1));
            return target.isMissingNode() ? schema : resolve(document, target, depth + 1);
        }
        if (schema.isObject()) {
            ObjectNode copy = schema.deepCopy();
            for (String key : List.of("items", "additionalProperties")) {
                if (copy.has(key) && copy.get(key).isObject()) {
                    copy.set(key, resolve(document, copy.get(key), depth + 1));
                }
            }
            if (copy.has("properties")) {
                ObjectNode properties = NODES.objectNode();
                copy.get("properties").fields().forEachRemaining(p -> properties.set(p.getKey(), resolve(document, p.getValue(), depth + 1)));
                copy.set("properties", properties);
            }
            for (String key : List.of("allOf", "oneOf", "anyOf")) {
                if (copy.has(key) && copy.get(key).size() > 0) {
                    return resolve(document, copy.get(key).get(0), depth + 1);
                }
            }
            return copy;
        }
        return schema;
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ').replace('\u0000', '?');
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "...(" + text.length() + " chars)" : oneLine;
    }

    static int port() {
        return RestAssured.port;
    }
}
