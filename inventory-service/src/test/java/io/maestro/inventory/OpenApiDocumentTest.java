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

/**
 * Every inventory operation is named, tagged, described, documents the statuses it answers (400, 414, 415, 500 come
 * from the shared filter, 401 and 403 from access control) and the scope it needs.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class OpenApiDocumentTest {
    /** Every mutation answers 200 with ?dryRun=true (MutationDocumentation); allocations have their own dry run, also a 200. */
    private static final Map<String, Set<String>> STATUSES = Map.ofEntries(
            Map.entry("createEntity", Set.of("200", "201", "404", "409")),
            Map.entry("createEntities", Set.of("200", "201", "404", "409")),
            Map.entry("searchEntities", Set.of("200")),
            Map.entry("getEntity", Set.of("200", "404")),
            Map.entry("patchEntity", Set.of("200", "404", "409", "412")),
            Map.entry("deleteEntity", Set.of("200", "204", "404", "409", "412")),
            Map.entry("addAttribute", Set.of("200", "201", "404", "409", "412")),
            Map.entry("getAttributes", Set.of("200", "404")),
            Map.entry("setAttribute", Set.of("200", "404", "409", "412")),
            Map.entry("deleteAttribute", Set.of("200", "404", "409", "412")),
            Map.entry("addContent", Set.of("200", "201", "404", "409", "412")),
            Map.entry("removeContent", Set.of("200", "204", "404", "412")),
            Map.entry("locateEntity", Set.of("200", "404")),
            Map.entry("entityHistory", Set.of("200", "404")),
            Map.entry("connectPorts", Set.of("200", "201", "404", "409")),
            Map.entry("disconnectPort", Set.of("200", "204", "404")),
            Map.entry("addPoolMember", Set.of("200", "404", "409")),
            Map.entry("removePoolMember", Set.of("200", "204", "404")),
            Map.entry("allocateEntities", Set.of("200", "201", "404", "409", "422")),
            Map.entry("listIpRanges", Set.of("200")),
            Map.entry("createIpRange", Set.of("200", "201", "409")),
            Map.entry("allocateAddress", Set.of("200", "201", "404", "409")),
            Map.entry("releaseAddress", Set.of("200", "204", "404")),
            Map.entry("rackElevation", Set.of("200", "404")),
            Map.entry("traceConnection", Set.of("200", "404")),
            Map.entry("entityPorts", Set.of("200", "404")),
            Map.entry("defineType", Set.of("200")),
            Map.entry("listTypes", Set.of("200")),
            Map.entry("getType", Set.of("200", "404")),
            Map.entry("forgetType", Set.of("200", "204", "404")),
            Map.entry("importEntities", Set.of("200", "409", "413")));
    private static final String READ = "inventory:read";
    private static final String WRITE = "inventory:write";
    private static final String ALLOCATE = "inventory:allocate";
    /** The scope of each operation (issue 13); none is narrowed by a name glob. */
    private static final Map<String, String> SCOPES = Map.ofEntries(
            Map.entry("createEntity", WRITE), Map.entry("createEntities", WRITE), Map.entry("searchEntities", READ),
            Map.entry("getEntity", READ), Map.entry("patchEntity", WRITE), Map.entry("deleteEntity", WRITE),
            Map.entry("addAttribute", WRITE), Map.entry("getAttributes", READ), Map.entry("setAttribute", WRITE),
            Map.entry("deleteAttribute", WRITE), Map.entry("addContent", WRITE), Map.entry("removeContent", WRITE),
            Map.entry("locateEntity", READ), Map.entry("entityHistory", READ), Map.entry("connectPorts", WRITE),
            Map.entry("disconnectPort", WRITE), Map.entry("addPoolMember", WRITE), Map.entry("removePoolMember", WRITE),
            Map.entry("allocateEntities", ALLOCATE), Map.entry("createIpRange", WRITE), Map.entry("listIpRanges", READ), Map.entry("allocateAddress", ALLOCATE),
            Map.entry("releaseAddress", ALLOCATE), Map.entry("rackElevation", READ), Map.entry("traceConnection", READ), Map.entry("entityPorts", READ),
            Map.entry("defineType", WRITE), Map.entry("listTypes", READ), Map.entry("getType", READ), Map.entry("forgetType", WRITE),
            Map.entry("importEntities", WRITE));

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
            assertThat(statuses).as("%s answers 401, 403, 503 (revoked tokens not loaded yet) and 414 (any URI may be too long)", id).contains("401", "403", "414", "503");
            assertThat((List<Map<String, List<String>>>) operation.get("security")).as("%s security", id)
                    .containsExactly(Map.of("bearer", List.of(SCOPES.get(id))));
            assertThat((Map<String, Object>) operation.get("x-maestro-scope")).as("%s scope, never narrowed", id)
                    .isEqualTo(Map.of("scope", SCOPES.get(id)));
            // added by the shared OpenAPI filters of service-support (problems, access control)
            statuses.removeAll(Set.of("400", "401", "403", "414", "415", "500", "503"));
            assertThat(documented.put(id, statuses)).as("operationId %s is unique", id).isNull();
        }));
        assertThat(documented).isEqualTo(STATUSES);
        Map<String, Map<String, Object>> tags = new HashMap<>();
        doc.getList("tags", Map.class).forEach(tag -> tags.put((String) tag.get("name"), tag));
        assertThat(tags).containsKeys("entities", "connections", "pools", "allocations", "ip-ranges", "racks", "types", "import");
        tags.values().forEach(tag -> assertThat((String) tag.get("description")).isNotBlank());
    }
}
