package io.maestro.inventory.port;

import io.maestro.inventory.repository.PgErrors;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.problem.ProblemException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.maestro.inventory.Api.connect;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** Port templates (PUT /v1/types/{type} "ports"): an entity gets its type's ports and is cabled on those only, on every write path. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class PortTemplatesTest {
    @Inject
    Statements statements;

    private static ValidatableResponse definePorts(String type, Object ports) {
        Map<String, Object> body = new HashMap<>();
        body.put("ports", ports);
        return given().contentType(ContentType.JSON).body(body).put("/v1/types/" + type).then();
    }

    private static ValidatableResponse ports(String entity) {
        return given().get("/v1/entities/" + entity + "/ports").then();
    }

    private static ValidatableResponse importCsv(String csv, String... query) {
        var request = given().contentType("text/csv").body(csv);
        for (int i = 0; i < query.length; i += 2) {
            request = request.queryParam(query[i], query[i + 1]);
        }
        return request.post("/v1/import").then();
    }

    @Test
    void aSwitch48IsCreatedWithPorts1To48_andIsCabledOnThoseOnly() {
        String type = unique("switch48");
        definePorts(type, List.of("[1-48]", "mgmt0")).statusCode(200)
                .body("ports", contains("[1-48]", "mgmt0")).body("portsAdded", equalTo(0));
        given().get("/v1/types/" + type).then().body("ports", contains("[1-48]", "mgmt0"));

        String sw = unique("sw");
        String srv = unique("srv");
        created(sw, type);
        created(srv, "server");
        ports(sw).statusCode(200).body("type", equalTo(type)).body("declaredOnly", equalTo(true)).body("ports", hasSize(49))
                .body("ports[0].port", equalTo("1")).body("ports[1].port", equalTo("2")).body("ports[9].port", equalTo("10"))
                .body("ports[47].port", equalTo("48")).body("ports[48].port", equalTo("mgmt0"))
                .body("ports.declared", everyItem(equalTo(true))).body("ports.connectedTo", everyItem(nullValue()));

        String undeclared = "'" + sw + "' has no port '49' (its ports are those its type declared)";
        connect(sw, "49", srv, "eth0").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("a.port")).body("errors[0].rule", equalTo(undeclared));
        connect(srv, "eth0", sw, "49").statusCode(400).body("errors[0].field", equalTo("b.port"));
        connect(sw, "48", srv, "eth0").statusCode(201);

        ports(sw).body("ports[47].connectedTo.entity", equalTo(srv)).body("ports[47].connectedTo.port", equalTo("eth0"))
                .body("ports[46].connectedTo", nullValue());
        // an entity whose type declares no ports is cabled on any port, as before: its ports are its cables' ends
        ports(srv).body("declaredOnly", equalTo(false)).body("ports.port", contains("eth0")).body("ports[0].declared", equalTo(false))
                .body("ports[0].connectedTo.entity", equalTo(sw)).body("ports[0].connectedTo.port", equalTo("48"));
        ports(unique("missing")).statusCode(404);
    }

    @Test
    void theImportGivesNewEntitiesTheirTypesPorts_andRefusesACableOnAnUndeclaredPortNamingItsLineAndColumn() {
        String type = unique("switch8");
        definePorts(type, List.of("eth[01-08]")).statusCode(200);
        String p = unique("pimp");
        String csv = """
                name,type,connections
                %1$s-sw,%2$s,
                %1$s-a,server,eth0=%1$s-sw:eth01
                %1$s-b,server,eth0=%1$s-sw:eth9
                """.formatted(p, type);
        importCsv(csv).statusCode(400).body("errors.field", contains("line 4, connections"))
                .body("errors.rule", contains("'" + p + "-sw' has no port 'eth9' (its ports are those its type declared)"));
        given().get("/v1/entities/" + p + "-sw").then().statusCode(404);

        importCsv(csv, "mode", "per-row").statusCode(200).body("created", equalTo(2)).body("refused", equalTo(1));
        ports(p + "-sw").body("ports.port", contains("eth01", "eth02", "eth03", "eth04", "eth05", "eth06", "eth07", "eth08"))
                .body("ports[0].connectedTo.entity", equalTo(p + "-a"));
        // a file may cable a stored entity with declared ports too, on them only
        importCsv("name,type,connections\n%1$s-c,server,eth0=%1$s-sw:eth02\n%1$s-d,server,eth0=%1$s-sw:mgmt\n".formatted(p), "mode", "per-row")
                .statusCode(200).body("created", equalTo(1)).body("rows[1].column", equalTo("connections"));
    }

    @Test
    void portsDefinedLater_areGivenToTheTypesEntitiesWithTheirCables_andARetypedEntityGetsThem() {
        String type = unique("panel");
        given().contentType(ContentType.JSON).body(Map.of("passThrough", Map.of("front", "front", "rear", "rear")))
                .put("/v1/types/" + type).then().statusCode(200).body("ports", nullValue());
        String panel = unique("pp");
        String other = unique("srv");
        created(panel, type);
        created(other, "server");
        connect(panel, "uplink", other, "eth0").statusCode(201);

        given().contentType(ContentType.JSON).body(Map.of("passThrough", Map.of("front", "front", "rear", "rear"),
                        "ports", List.of("front[1-2]", "rear[1-2]")))
                .put("/v1/types/" + type).then().statusCode(200).body("portsAdded", equalTo(5)).body("passThrough.front", equalTo("front"));
        ports(panel).body("declaredOnly", equalTo(true)).body("ports.port", contains("front1", "front2", "rear1", "rear2", "uplink"))
                .body("ports.declared", everyItem(equalTo(true))).body("ports[4].connectedTo.entity", equalTo(other));
        connect(panel, "front3", unique("x"), "eth0").statusCode(404); // the other end is missing: that is said first
        String cable = unique("srv");
        created(cable, "server");
        connect(panel, "front3", cable, "eth0").statusCode(400).body("errors[0].field", equalTo("a.port"));
        connect(panel, "front1", cable, "eth0").statusCode(201);

        // given the type by a change, an entity gets its ports; the ports it was cabled on stay, declared
        String retyped = unique("box");
        created(retyped, "server");
        String peer = unique("srv");
        created(peer, "server");
        connect(retyped, "x1", peer, "eth0").statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("type", type)).patch("/v1/entities/" + retyped).then().statusCode(200);
        ports(retyped).body("declaredOnly", equalTo(true)).body("ports.port", contains("front1", "front2", "rear1", "rear2", "x1"));

        // forgetting the type leaves its entities' ports as they are
        given().delete("/v1/types/" + type).then().statusCode(204);
        ports(panel).body("ports", hasSize(5)).body("declaredOnly", equalTo(true));
    }

    @Test
    void aCableOnAnUndeclaredPortWrittenPastTheServices_isRefusedByTheDatabase() throws Throwable {
        String type = unique("switch2");
        definePorts(type, List.of("[1-2]")).statusCode(200);
        String sw = unique("sw");
        created(sw, type);
        Throwable refused = null;
        try {
            VertxContextSupport.subscribeAndAwait(() -> Transactions.inTransaction(() -> statements.one("insert into connection default values returning id")
                    .chain(row -> statements.update("insert into connection_end (entity_id, port, connection_id) select id, '3', ?2 from entity where name = ?1",
                            sw, row.longValue(0)))));
        } catch (Throwable e) {
            refused = e;
        }
        assertThat(refused).as("the trigger refuses the cable").isNotNull();
        Throwable problem = PgErrors.translate(refused);
        assertThat(problem).isInstanceOf(ProblemException.class);
        assertThat(((ProblemException) problem).status()).isEqualTo(400);
        assertThat(((ProblemException) problem).errors().get(0).rule()).isEqualTo("'" + sw + "' has no port '3' (its ports are those its type declared)");
        ports(sw).body("ports.port", contains("1", "2")).body("ports.connectedTo", everyItem(nullValue()));
    }

    @Test
    void entitiesCreatedWhileTheirTypeGetsPorts_eachGetThem() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            for (int round = 0; round < 4; round++) {
                String type = unique("racetype");
                List<Callable<List<String>>> creators = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    creators.add(() -> {
                        List<String> names = new ArrayList<>();
                        for (int i = 0; i < 8; i++) {
                            String name = unique("race");
                            created(name, type);
                            names.add(name);
                        }
                        return names;
                    });
                }
                List<Future<List<String>>> running = new ArrayList<>();
                creators.forEach(creator -> running.add(pool.submit(creator)));
                // the definition comes while the creations go on: once a few entities of the type are in
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        given().queryParam("q", "type:" + type).get("/v1/entities").then().extract().jsonPath().getList("items").size() >= 4);
                definePorts(type, List.of("[1-2]")).statusCode(200);
                for (Future<List<String>> names : running) {
                    for (String name : names.get()) {
                        ports(name).body("ports.port", contains("1", "2"));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cablesMadeWhileTheirEntitysTypeGetsPorts_areDeclaredOrRefused_neverLeftOut() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            for (int round = 0; round < 4; round++) {
                String type = unique("racetype");
                String sw = unique("racesw");
                created(sw, type);
                List<Future<List<Integer>>> running = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    int cabler = c;
                    running.add(pool.submit(() -> {
                        List<Integer> statuses = new ArrayList<>();
                        for (int i = 0; i < 6; i++) {
                            String server = unique("racesrv");
                            created(server, "server");
                            statuses.add(connect(sw, "c" + cabler + "-" + i, server, "eth0").extract().statusCode());
                        }
                        return statuses;
                    }));
                }
                // the definition comes while the cabling goes on: once a few cables are in
                await().atMost(Duration.ofSeconds(20)).until(() -> ports(sw).extract().jsonPath().getList("ports").size() >= 4);
                definePorts(type, List.of("[1-2]")).statusCode(200);
                for (Future<List<Integer>> statuses : running) {
                    assertThat(statuses.get()).isSubsetOf(201, 400);
                }
                // every cable made is on a declared port: made before the definition (declared by it) or refused after
                List<Map<String, Object>> cabled = ports(sw).extract().jsonPath().getList("ports.findAll { it.connectedTo != null }");
                assertThat(cabled).isNotEmpty().allSatisfy(port -> assertThat(port.get("declared")).as("port %s", port.get("port")).isEqualTo(true));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badTemplatesAreRefusedNamingTheTemplateAndTheRule() {
        String type = unique("bad");
        definePorts(type, List.of("[5-1]")).statusCode(400).body("errors[0].field", equalTo("ports[0]"))
                .body("errors[0].rule", equalTo("the range's first number must not be above its last"));
        definePorts(type, List.of("mgmt0", "Eth[1-2]")).statusCode(400).body("errors[0].field", equalTo("ports[1]"))
                .body("errors[0].rule", equalTo("each port it names must match [a-z0-9][a-z0-9._-]{0,127}, not 'Eth1'"));
        definePorts(type, List.of("1", "[1-2]")).statusCode(400).body("errors[0].field", equalTo("ports[1]"))
                .body("errors[0].rule", equalTo("names port '1' a second time"));
        definePorts(type, List.of("[1-5000]")).statusCode(400).body("errors[0].rule", equalTo("at most 4096 ports in all"));
        definePorts(type, List.of("[1-2000]", "x[1-2000]", "y[1-200]")).statusCode(400).body("errors[0].field", equalTo("ports"));
        definePorts(type, List.of("[1-2]x[1-2]")).statusCode(400).body("errors[0].rule", equalTo("may have one range [first-last] only"));
        definePorts(type, Arrays.asList("1", null)).statusCode(400).body("errors[0].field", equalTo("ports[1]"));
        List<String> many = new ArrayList<>(Collections.nCopies(257, "x"));
        definePorts(type, many).statusCode(400).body("errors[0].field", equalTo("ports")).body("errors[0].rule", equalTo("at most 256 templates"));
        definePorts(type, "1-48").statusCode(400);
        given().get("/v1/types/" + type).then().statusCode(404);
    }
}
