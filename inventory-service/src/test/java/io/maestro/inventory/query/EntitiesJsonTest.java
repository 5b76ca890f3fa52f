package io.maestro.inventory.query;

import io.maestro.inventory.Api;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Row;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.maestro.inventory.Api.attr;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** entities_json (migrations V6, V7), which pages and bulk outbox rows use, builds exactly what entity_json builds (compared as jsonb). */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class EntitiesJsonTest {
    final TestDatabase db = new TestDatabase();

    @Test
    void manyEntitiesAtOnceGetTheSameJsonAsEachOneAloneWhateverTheyHold() {
        String s = Api.unique("ej");
        Api.created(s + "-dc", "datacenter");
        Api.created(s + "-rack", "rack", attr("height", 42));
        Api.insert(s + "-dc", s + "-rack", null, null).statusCode(201);
        Api.created(s + "-sw", "switch");
        Api.created(s + "-bare", "server");
        for (int i = 0; i < 3; i++) {
            String server = s + "-srv-" + i;
            Api.created(server, "server", attr("role", "web"), attr("cores", 8 + i), attr("weight", 1.25), attr("ok", true),
                    Map.of("key", "born", "value", "2026-01-31T12:00:00Z", "type", "timestamp"),
                    Map.of("key", "uplink", "value", s + "-sw", "type", "reference"),
                    Map.of("key", "disk", "subkey", "size", "number", i, "value", "1TB"));
            Api.insert(s + "-rack", server, 1 + 2 * i, 2).statusCode(201);
            Api.connect(server, "eth0", s + "-sw", "port" + i).statusCode(201);
            given().put("/v1/pools/" + s + "-spare/members/" + server).then().statusCode(200);
        }
        given().contentType(ContentType.JSON).body(Map.of("name", s + "-net", "cidr", "10.77.0.0/29")).post("/v1/ip-ranges").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("entity", s + "-srv-0")).post("/v1/ip-ranges/" + s + "-net/allocations").then().statusCode(201);

        Row compared = db.query("""
                select count(*) as entities, count(*) filter (where j.json is distinct from entity_json(j.id)) as different,
                       count(*) filter (where jsonb_array_length(j.json -> 'attributes') > 0 and jsonb_array_length(j.json -> 'connections') > 0
                                        and jsonb_array_length(j.json -> 'pools') > 0 and j.json ->> 'parent' is not null) as full,
                       count(*) filter (where jsonb_array_length(j.json -> 'addresses') > 0) as addressed
                from (select id, cast(json as jsonb) as json from entities_json(array(select id from entity where name like $1 || '-%'))) j""", s).get(0);
        assertThat(compared.getLong("entities")).as("every entity of the test, the pool included").isEqualTo(8);
        assertThat(compared.getLong("different")).isZero();
        assertThat(compared.getLong("full")).as("servers with attributes, a parent, ports and a pool").isEqualTo(3);
        assertThat(compared.getLong("addressed")).isEqualTo(1);
    }
}
