package io.maestro.inventory.trace;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.maestro.inventory.Api.connect;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** Patch panels are a type that passes connections through; a trace follows them to the far end. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class ConnectionTraceTest {

    private static String panelType() {
        String type = unique("panel");
        given().contentType(ContentType.JSON).body(Map.of("passThrough", Map.of("front", "front-", "rear", "rear-")))
                .put("/v1/types/" + type).then().statusCode(200)
                .body("name", equalTo(type)).body("passThrough.front", equalTo("front-")).body("version", equalTo(1));
        return type;
    }

    @Test
    void aTraceFollowsTheCablesThroughPatchPanelsToTheFarEndInBothDirections() {
        String panel = panelType();
        String server = unique("srv");
        String p1 = unique("pp");
        String p2 = unique("pp");
        String sw = unique("sw");
        created(server, "server");
        created(p1, panel);
        created(p2, panel);
        created(sw, "switch");
        connect(server, "eth0", p1, "front-3").statusCode(201);
        connect(p1, "rear-3", p2, "rear-3").statusCode(201);
        connect(p2, "front-3", sw, "ge-1").statusCode(201);

        given().get("/v1/entities/{name}/ports/{port}/trace", server, "eth0").then().statusCode(200)
                .body("from.entity", equalTo(server)).body("from.port", equalTo("eth0"))
                .body("segments", hasSize(3))
                .body("segments.from.port", contains("eth0", "rear-3", "front-3"))
                .body("segments.to.entity", contains(p1, p2, sw))
                .body("segments.to.port", contains("front-3", "rear-3", "ge-1"))
                .body("segments[1].from.type", equalTo(panel))
                .body("to.entity", equalTo(sw)).body("to.type", equalTo("switch")).body("to.port", equalTo("ge-1"))
                .body("complete", equalTo(true)).body("stoppedBecause", nullValue());

        given().get("/v1/entities/{name}/ports/{port}/trace", sw, "ge-1").then().statusCode(200)
                .body("segments.to.port", contains("front-3", "rear-3", "eth0")).body("to.entity", equalTo(server));

        // Without its definition a panel is an end like any other.
        given().delete("/v1/types/" + panel).then().statusCode(204);
        given().get("/v1/entities/{name}/ports/{port}/trace", server, "eth0").then().statusCode(200)
                .body("segments", hasSize(1)).body("to.entity", equalTo(p1)).body("complete", equalTo(true));
        given().get("/v1/types/" + panel).then().statusCode(404).body("detail", equalTo("type '" + panel + "' is not defined"));
    }

    @Test
    void aPathThatStopsInsideAPanelOrLoopsSaysSoAndIsNotComplete() {
        String panel = panelType();
        String server = unique("srv");
        String open = unique("pp");
        created(server, "server");
        created(open, panel);
        connect(server, "eth1", open, "front-4").statusCode(201);
        given().get("/v1/entities/{name}/ports/{port}/trace", server, "eth1").then().statusCode(200)
                .body("segments", hasSize(1)).body("to.entity", equalTo(open)).body("complete", equalTo(false))
                .body("stoppedBecause", equalTo("port 'rear-4' of '" + open + "' (wired to 'front-4') is not connected"));

        String q = unique("pp");
        String r = unique("pp");
        created(q, panel);
        created(r, panel);
        connect(q, "front-1", r, "front-1").statusCode(201);
        connect(r, "rear-1", q, "rear-1").statusCode(201);
        given().get("/v1/entities/{name}/ports/{port}/trace", q, "front-1").then().statusCode(200)
                .body("segments", hasSize(2)).body("complete", equalTo(false))
                .body("stoppedBecause", equalTo("the path loops: port 'front-1' of '" + q + "' leads back into it"));
    }

    @Test
    void aLongChainOfPanelsIsFollowedToItsEndAndCutAtTheLimit() {
        String panel = panelType();
        List<String> chain = new ArrayList<>();
        chain.add(unique("srv"));
        created(chain.get(0), "server");
        for (int i = 0; i < 70; i++) {
            chain.add(unique("pp"));
        }
        String far = unique("sw");
        created(far, "switch");
        given().contentType(ContentType.JSON).body(Map.of("entities", chain.subList(1, chain.size()).stream()
                .map(name -> Map.of("name", name, "type", panel)).toList())).post("/v1/entities/bulk").then().statusCode(201);
        // server eth0 -> front-1 of the first panel; each panel's rear-1 -> the next one's front-1; the 30th's rear-1 -> the switch
        connect(chain.get(0), "eth0", chain.get(1), "front-1").statusCode(201);
        for (int i = 1; i < 30; i++) {
            connect(chain.get(i), "rear-1", chain.get(i + 1), "front-1").statusCode(201);
        }
        connect(chain.get(30), "rear-1", far, "ge-9").statusCode(201);
        given().get("/v1/entities/{name}/ports/{port}/trace", chain.get(0), "eth0").then().statusCode(200)
                .body("segments", hasSize(31)).body("to.entity", equalTo(far)).body("complete", equalTo(true));

        // All 70 panels in a row on their second ports, from another server: the trace stops after 64 connections and says why.
        String other = unique("srv");
        created(other, "server");
        connect(other, "eth0", chain.get(1), "front-2").statusCode(201);
        for (int i = 1; i < chain.size() - 1; i++) {
            connect(chain.get(i), "rear-2", chain.get(i + 1), "front-2").statusCode(201);
        }
        given().get("/v1/entities/{name}/ports/{port}/trace", other, "eth0").then().statusCode(200)
                .body("segments", hasSize(ConnectionTrace.MAX_SEGMENTS)).body("complete", equalTo(false))
                .body("stoppedBecause", equalTo("the path is longer than 64 connections"));
    }

    @Test
    void aMissingEntityOrAnUnconnectedPortIsA404AndTypesAreCheckedAtTheEdge() {
        String lonely = unique("srv");
        created(lonely, "server");
        given().get("/v1/entities/{name}/ports/{port}/trace", lonely, "eth0").then().statusCode(404)
                .body("detail", equalTo("port 'eth0' of '" + lonely + "' is not connected"));
        given().get("/v1/entities/{name}/ports/{port}/trace", unique("nobody"), "eth0").then().statusCode(404)
                .body("detail", org.hamcrest.Matchers.startsWith("no entity named"));

        given().contentType(ContentType.JSON).body(Map.of("passThrough", Map.of("front", "f", "rear", "fr")))
                .put("/v1/types/" + unique("panel")).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("passThrough.rear"));
        given().contentType(ContentType.JSON).body(Map.of("passThrough", Map.of("front", "Front", "rear", "rear-")))
                .put("/v1/types/" + unique("panel")).then().statusCode(400).body("errors[0].field", equalTo("passThrough.front"));
        given().contentType(ContentType.JSON).body(Map.of("portTemplates", List.of("1")))
                .put("/v1/types/" + unique("panel")).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("portTemplates"))
                .body("errors[0].rule", equalTo("unknown field; a type definition has: passThrough, attributes, ports"));
        given().delete("/v1/types/" + unique("never")).then().statusCode(404);

        String panel = panelType();
        given().contentType(ContentType.JSON).body(Map.of()).put("/v1/types/" + panel).then().statusCode(200)
                .body("passThrough", nullValue()).body("version", equalTo(2));
        given().get("/v1/types").then().statusCode(200).body("items.name", hasItem(panel));
    }
}
