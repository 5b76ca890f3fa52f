package io.maestro.inventory.rack;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.maestro.inventory.Api.attr;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.insert;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class RackElevationTest {

    @Test
    void theElevationDrawsEveryUnitAndTheDevicesInThem() {
        String rack = unique("rack");
        String srv = unique("srv");
        created(rack, "rack", attr("height", 12));
        created(srv, "server");
        insert(rack, srv, 3, 2).statusCode(201);
        given().get("/v1/racks/" + rack + "/elevation.svg").then().statusCode(200)
                .contentType("image/svg+xml")
                .body(allOf(containsString("<svg"), containsString(rack + " (12U)"), containsString(srv + " (server) U3-4"), containsString(">12</text>")));
        given().get("/v1/racks/" + unique("none") + "/elevation.svg").then().statusCode(404);
    }
}
