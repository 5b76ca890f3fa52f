package io.maestro.inventory.transfer;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import static io.maestro.inventory.Api.attr;
import static io.maestro.inventory.Api.connect;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.insert;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** POST /v1/import takes CSV and YAML row by row (atomic, per row, dry run); GET /v1/entities?format= exports what it takes. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class ImportExportTest {

    private static ValidatableResponse importing(String contentType, String body, String... query) {
        var request = given().contentType(contentType).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < query.length; i += 2) {
            request = request.queryParam(query[i], query[i + 1]);
        }
        return request.post("/v1/import").then();
    }

    private static String export(String prefix, String format) {
        return given().queryParam("q", "name:" + prefix + "-*").queryParam("format", format).get("/v1/entities").then()
                .statusCode(200).extract().asString();
    }

    @Test
    void aCsvImportCreatesPositionsPoolsCablesAndTypedValues_andItsExportImportsAgainUnchangedInCsvAndYaml() {
        String p = unique("imp");
        String csv = """
                name,type,parent,unit,height,pools,connections,attr.height:integer,attr.cores:integer,attr.role,attr.dns.primary,attr.note
                %1$s-rack,rack,,,,,,10,,,,
                %1$s-web1,server,%1$s-rack,1,2,%1$s-web;%1$s-all,eth0=%1$s-sw:1,,16,web;edge,10.0.0.1,"=HYPERLINK(""http://x"")"
                %1$s-web2,server,%1$s-rack,3,,%1$s-web,eth0=%1$s-sw:2;eth1=%1$s-web1:eth1,,8,"a\\;b",,'+1 literal
                %1$s-sw,switch,%1$s-rack,10,,,,,,,,
                """.formatted(p);
        importing("text/csv", csv, "note", "initial load").statusCode(200)
                .body("dryRun", equalTo(false)).body("mode", equalTo("atomic")).body("written", equalTo(true))
                .body("created", equalTo(4)).body("changed", equalTo(0)).body("refused", equalTo(0))
                .body("rows.line", contains(2, 3, 4, 5)).body("rows.outcome", everyItem(equalTo("created")));

        given().get("/v1/entities/" + p + "-web1").then().statusCode(200)
                .body("parent", equalTo(p + "-rack")).body("pools", containsInAnyOrder(p + "-web", p + "-all"))
                .body("connections.port", containsInAnyOrder("eth0", "eth1"))
                .body("attributes.find { it.key == 'cores' }.value", equalTo(16))
                .body("attributes.findAll { it.key == 'role' }.value", containsInAnyOrder("web", "edge"))
                .body("attributes.find { it.key == 'dns' }.subkey", equalTo("primary"))
                .body("attributes.find { it.key == 'note' }.value", equalTo("=HYPERLINK(\"http://x\")"));
        given().get("/v1/entities/" + p + "-web2").then()
                .body("attributes.find { it.key == 'role' }.value", equalTo("a;b"))
                .body("attributes.find { it.key == 'note' }.value", equalTo("+1 literal"));
        given().get("/v1/entities/" + p + "-web1/location").then().body("chain[0].unit", equalTo(1)).body("chain[0].height", equalTo(2));
        given().get("/v1/entities/" + p + "-sw/history").then().body("note", contains("initial load"));
        // a unit beyond the rack's height attribute (10) is refused, as the REST API refuses it
        importing("text/csv", "name,type,parent,unit\n" + p + "-web9,server," + p + "-rack,11\n").statusCode(400)
                .body("errors[0].field", equalTo("line 2, unit")).body("errors[0].rule", containsString("do not fit in '" + p + "-rack' of height 10"));

        String exported = export(p, "csv");
        assertThat(exported.lines().findFirst().orElseThrow())
                .isEqualTo("name,type,parent,unit,height,pools,connections,attr.cores:integer,attr.dns.primary,attr.height:integer,attr.note,attr.role");
        // cells a spreadsheet would run are written with a leading apostrophe; the import drops it again
        // the pools the rows joined were made (type pool) and match q too
        assertThat(exported.lines().skip(1).map(line -> line.substring(0, line.indexOf(',')))).containsExactly(
                p + "-all", p + "-rack", p + "-sw", p + "-web", p + "-web1", p + "-web2");
        // cells a spreadsheet would run are written with a leading apostrophe; the import drops it again
        assertThat(exported).contains(p + "-web1,server," + p + "-rack,1,2," + p + "-all;" + p + "-web,eth0=" + p + "-sw:1;eth1=" + p
                + "-web2:eth1,16,10.0.0.1,,\"'=HYPERLINK(\"\"http://x\"\")\",web;edge\n").contains(",'+1 literal,a\\;b\n");
        importing("text/csv", exported).statusCode(200).body("unchanged", equalTo(6)).body("created", equalTo(0)).body("changed", equalTo(0));

        String yaml = export(p, "yaml");
        assertThat(yaml).contains("name: " + p + "-web1").contains("remotePort: \"1\"").contains("type: integer");
        importing("application/yaml", yaml).statusCode(200).body("unchanged", equalTo(6)).body("changed", equalTo(0));
        given().get("/v1/entities/" + p + "-web1").then().body("version", equalTo(1));
    }

    @Test
    void aRowChangesOnlyWhatItNames_andTheChangeIsAnUpdateWithItsBeforeAndAfter() {
        String p = unique("imp");
        created(p + "-db1", "server", attr("cores", 8), attr("os", "debian"));
        created(p + "-rack", "rack");
        created(p + "-sw", "switch");
        insert(p + "-rack", p + "-sw", 40, 1).statusCode(201);
        String yaml = """
                - name: %1$s-db1
                  parent: %1$s-rack
                  unit: 5
                  attributes:
                    - {key: cores, value: 32}
                  connections:
                    - {port: eth0, entity: %1$s-sw, remotePort: ge-1}
                """.formatted(p);
        importing("application/yaml", yaml, "dryRun", "true").statusCode(200).body("dryRun", equalTo(true)).body("written", equalTo(true))
                .body("changed", equalTo(1)).body("rows[0].changes", contains("parent", "attributes", "connections"));
        given().get("/v1/entities/" + p + "-db1").then().body("version", equalTo(1)).body("parent", nullValue());

        importing("application/yaml", yaml).statusCode(200).body("changed", equalTo(1)).body("rows[0].outcome", equalTo("changed"));
        given().get("/v1/entities/" + p + "-db1").then().body("version", equalTo(2)).body("type", equalTo("server"))
                .body("parent", equalTo(p + "-rack"))
                .body("attributes.find { it.key == 'cores' }.value", equalTo(32))
                .body("attributes.find { it.key == 'os' }.value", equalTo("debian"));
        given().get("/v1/entities/" + p + "-db1/history").then().body("op", contains("CREATED", "UPDATED"))
                .body("find { it.op == 'UPDATED' }.before.attributes.find { it.key == 'cores' }.value", equalTo(8))
                .body("find { it.op == 'UPDATED' }.after.connections[0].entity", equalTo(p + "-sw"));
        // the far end of the new cable changes too: its connections
        given().get("/v1/entities/" + p + "-sw").then().body("version", equalTo(3)).body("connections[0].entity", equalTo(p + "-db1"));
        importing("application/yaml", yaml).statusCode(200).body("unchanged", equalTo(1));
    }

    @Test
    void atomicRefusesTheWholeImportNamingEachRowsLineAndColumn_perRowWritesTheOthers_andADryRunSaysWhich() {
        String p = unique("imp");
        created(p + "-rack", "rack");
        created(p + "-old", "server");
        insert(p + "-rack", p + "-old", 1, 2).statusCode(201);
        created(p + "-sw", "switch");
        created(p + "-other", "server");
        connect(p + "-sw", "1", p + "-other", "eth0").statusCode(201);
        String csv = """
                name,type,parent,unit,connections,attr.cores:integer
                %1$s-ok,server,%1$s-rack,10,,4
                %1$s-taken,server,%1$s-rack,2,,
                %1$s-nocores,server,,,,many
                %1$s-busy,server,,,eth0=%1$s-sw:1,
                %1$s-notype,,,,,
                %1$s-child,server,%1$s-notype,,,
                %1$s-ok,server,,,,
                """.formatted(p);
        importing("text/csv", csv).statusCode(400)
                .body("detail", containsString("6 of 7 rows are refused, so nothing was written"))
                .body("errors.field", contains("line 3, unit", "line 4, attr.cores:integer", "line 5, connections", "line 6, type", "line 7, parent", "line 8, name"))
                .body("errors.rule", contains("unit 2 of '" + p + "-rack' is taken by '" + p + "-old'",
                        "must be an integer (64-bit) for type integer",
                        "port '1' of '" + p + "-sw' is connected to port 'eth0' of '" + p + "-other' already",
                        "is required for a new entity", "'" + p + "-notype' is refused at line 6", "appears at line 2 too"));
        given().get("/v1/entities/" + p + "-ok").then().statusCode(404);

        importing("text/csv", csv, "dryRun", "true").statusCode(200).body("written", equalTo(false))
                .body("created", equalTo(1)).body("refused", equalTo(6))
                .body("rows.outcome", contains("created", "refused", "refused", "refused", "refused", "refused", "refused"))
                .body("rows[1].column", equalTo("unit"));
        given().get("/v1/entities/" + p + "-ok").then().statusCode(404);

        importing("text/csv", csv, "mode", "per-row").statusCode(200).body("mode", equalTo("per-row")).body("written", equalTo(true))
                .body("created", equalTo(1)).body("refused", equalTo(6)).body("rows[0].name", equalTo(p + "-ok"));
        given().get("/v1/entities/" + p + "-ok").then().statusCode(200).body("parent", equalTo(p + "-rack"))
                .body("attributes[0].value", equalTo(4));
        given().get("/v1/entities/" + p + "-child").then().statusCode(404);
    }

    @Test
    void importsAreHostileInput_tagsAliasesAndUnknownColumnsAreRefused_andTheLimitsAre413s() {
        String p = unique("imp");
        importing("application/yaml", "- !!javax.script.ScriptEngineManager [name: x]\n").statusCode(400)
                .body("errors[0].rule", containsString("tags")).body("errors[0].field", equalTo("line 1"));
        importing("application/yaml", "- &a {name: " + p + "-a, type: server}\n- *a\n").statusCode(400)
                .body("errors[0].rule", equalTo("anchors and aliases are not accepted"));
        importing("application/yaml", "name: x\n").statusCode(400).body("errors[0].rule", containsString("must be a sequence"));
        importing("application/yaml", "- {name: " + p + "-y, type: server, colour: red}\n", "mode", "per-row").statusCode(200)
                .body("rows[0].outcome", equalTo("refused")).body("rows[0].column", equalTo("colour"));
        importing("text/csv", "name,type,colour\n" + p + "-c,server,red\n").statusCode(400)
                .body("errors[0].field", equalTo("line 1, column colour")).body("errors[0].rule", containsString("is not a column"));
        importing("text/csv", "name,type\n\"" + p + "-q,server\n").statusCode(400).body("errors[0].field", containsString("line "));
        importing("text/csv", "type\nserver\n").statusCode(400).body("errors[0].rule", equalTo("must name the column name"));
        importing("text/plain", "name\n").statusCode(415);

        StringBuilder many = new StringBuilder("name,type\n");
        for (int i = 0; i <= 50_000; i++) {
            many.append("n").append(i).append(",t\n");
        }
        importing("text/csv", many.toString()).statusCode(413).body("errors[0].rule", equalTo("at most 50000 rows"));
        String big = "name,type,attr.x\n" + (p + "-big,server," + "x".repeat(1000) + "\n").repeat(9000);
        importing("text/csv", big).statusCode(413).body("errors[0].rule", equalTo("at most 8388608 bytes"));
        given().get("/v1/entities/n1").then().statusCode(404);

        given().queryParam("format", "xml").get("/v1/entities").then().statusCode(400).body("errors[0].field", equalTo("format"));
    }

    @Test
    void theExportNamesEveryValueOfAKey_andAStringThatLooksLikeANumberStaysAString() {
        String p = unique("imp");
        created(p + "-a", "server", attr("serial", "00123"), attr("up", true), attr("load", 1.5));
        String csv = export(p, "csv");
        assertThat(csv.lines().toList()).hasSize(2);
        assertThat(csv).contains("attr.load:decimal,attr.serial,attr.up:boolean").contains(",1.5,00123,true");
        importing("text/csv", csv).statusCode(200).body("unchanged", equalTo(1));
        String yaml = export(p, "yaml");
        assertThat(yaml).contains("value: \"00123\"");
        importing("application/yaml", yaml).statusCode(200).body("unchanged", equalTo(1));
        given().get("/v1/entities/" + p + "-a").then().body("attributes.find { it.key == 'serial' }.value", equalTo("00123"))
                .body("attributes.type", hasItem("boolean")).body("attributes", hasSize(3));
    }
}
