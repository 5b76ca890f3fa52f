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
import static org.hamcrest.Matchers.not;

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

    @Test
    void aRackHeightBeyondWhatIsDrawnOrBeyondIntIsClippedAndPlacementStillChecksIt() {
        String tall = unique("rack");
        String srv = unique("srv");
        created(tall, "rack", attr("height", 99999999999L));
        created(srv, "server");
        // rack_height: a height beyond int is int's greatest, so unit 2,000,000 fits; the drawing stops at 500 units
        insert(tall, srv, 2000000, 1).statusCode(201);
        given().get("/v1/racks/" + tall + "/elevation.svg").then().statusCode(200)
                .body(allOf(containsString(tall + " (2147483647U, units 1-500 drawn)"), containsString(">500</text>"),
                        not(containsString(">501</text>")), not(containsString(srv))));
        String half = unique("rack");
        created(half, "rack", attr("height", new java.math.BigDecimal("4.9")));
        // a decimal height counts its whole units: 4
        String srv2 = unique("srv");
        created(srv2, "server");
        insert(half, srv2, 4, 2).statusCode(400).body("errors[0].rule", containsString("do not fit in '" + half + "' of height 4"));
        insert(half, srv2, 3, 2).statusCode(201);
    }
}
