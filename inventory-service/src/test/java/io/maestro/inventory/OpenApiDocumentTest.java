package io.maestro.inventory;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Every inventory operation is named, tagged, described, and documents the statuses it answers (400, 414, 415, 500 come from the shared filter). */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class OpenApiDocumentTest {
    private static final Map<String, Set<String>> STATUSES = Map.ofEntries(
            Map.entry("createEntity", Set.of("201", "404", "409")),
            Map.entry("createEntities", Set.of("201", "404", "409")),
            Map.entry("searchEntities", Set.of("200")),
            Map.entry("getEntity", Set.of("200", "404")),
            Map.entry("patchEntity", Set.of("200", "404", "412")),
            Map.entry("deleteEntity", Set.of("204", "404", "409", "412")),
            Map.entry("addAttribute", Set.of("201", "404", "412")),
            Map.entry("getAttributes", Set.of("200", "404")),
            Map.entry("setAttribute", Set.of("200", "404", "412")),
            Map.entry("deleteAttribute", Set.of("200", "404", "412")),
            Map.entry("addContent", Set.of("201", "404", "409", "412")),
            Map.entry("removeContent", Set.of("204", "404", "412")),
            Map.entry("locateEntity", Set.of("200", "404")),
            Map.entry("entityHistory", Set.of("200", "404")),
            Map.entry("connectPorts", Set.of("201", "404", "409")),
            Map.entry("disconnectPort", Set.of("204", "404")),
            Map.entry("addPoolMember", Set.of("200", "404", "409")),
            Map.entry("removePoolMember", Set.of("204", "404")),
            Map.entry("allocateEntities", Set.of("201", "404", "409", "422")),
            Map.entry("createIpRange", Set.of("201", "409")),
            Map.entry("allocateAddress", Set.of("201", "404", "409")),
            Map.entry("releaseAddress", Set.of("204", "404")),
            Map.entry("rackElevation", Set.of("200", "404")));

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationIsNamedTaggedDescribedAndDocumentsItsStatuses() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        Map<String, Set<String>> documented = new HashMap<>();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!path.startsWith("/v1/")) {
                return;
            }
            String id = (String) operation.get("operationId");
            assertThat(id).as("%s %s operationId", method, path).isNotBlank();
            assertThat((List<String>) operation.get("tags")).as("%s tags", id).isNotEmpty();
            assertThat((String) operation.get("summary")).as("%s summary", id).isNotBlank();
            assertThat((String) operation.get("description")).as("%s description", id).isNotBlank();
            Set<String> statuses = new TreeSet<>(((Map<String, Object>) operation.get("responses")).keySet());
            statuses.removeAll(Set.of("400", "414", "415", "500")); // added by the shared OpenAPI filter of service-support
            assertThat(documented.put(id, statuses)).as("operationId %s is unique", id).isNull();
        }));
        assertThat(documented).isEqualTo(STATUSES);
        Map<String, Map<String, Object>> tags = new HashMap<>();
        doc.getList("tags", Map.class).forEach(tag -> tags.put((String) tag.get("name"), tag));
        assertThat(tags).containsKeys("entities", "connections", "pools", "allocations", "ip-ranges", "racks");
        tags.values().forEach(tag -> assertThat((String) tag.get("description")).isNotBlank());
    }
}
