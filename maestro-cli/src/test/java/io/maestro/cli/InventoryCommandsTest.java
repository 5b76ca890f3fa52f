package io.maestro.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** clusto's verbs against the real inventory-service. */
class InventoryCommandsTest {
    static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    static final String DC = "dcz-" + SUFFIX;
    static final String RACK = "rack101-" + SUFFIX;
    static final String SERVER = "s1-" + SUFFIX;
    static final String SWITCH = "switch2a-" + SUFFIX;

    @BeforeAll
    static void datacenter() {
        SuiteFixture.start();
        ok("inv", "add", "datacenter", DC);
        ok("inv", "add", "rack", RACK);
        ok("inv", "add", "server", SERVER, "--attr", "memory=64");
        ok("inv", "add", "switch", SWITCH);
        ok("inv", "insert", DC, RACK);
        ok("inv", "insert", RACK, SERVER, "--unit", "13", "--height", "2");
        ok("inv", "connect", SERVER + ":eth0", SWITCH + ":4");
    }

    @Test
    void locateShowsTheRackUnitAndTheSwitchPort() {
        String out = ok("inv", "locate", SERVER);
        assertThat(out).contains(SERVER + " -> RU13 in " + RACK).contains(RACK + " -> in " + DC)
                .contains(SERVER + " -> port 4 on " + SWITCH);
    }

    @Test
    void traceFollowsTheCableThroughAPatchPanelTypeToTheSwitch() {
        String panelType = "panel-" + SUFFIX;
        String panel = "pp1-" + SUFFIX;
        assertThat(ok("inv", "type", panelType, "--pass-through", "front-,rear-"))
                .contains(panelType + " (version 1): passes connections through, front-x <-> rear-x");
        ok("inv", "add", panelType, panel);
        ok("inv", "connect", SERVER + ":eth1", panel + ":front-3");
        ok("inv", "connect", panel + ":rear-3", SWITCH + ":5");
        assertThat(ok("inv", "trace", SERVER, "eth1")).contains(SERVER + " eth1 -> " + panel + " front-3 (" + panelType + ")")
                .contains(panel + " rear-3 -> " + SWITCH + " 5 (switch)")
                .contains(SERVER + " eth1 reaches " + SWITCH + " 5 through 1 patch panel");
        ok("inv", "connect", SERVER + ":eth2", panel + ":front-4");
        assertThat(ok("inv", "trace", SERVER, "eth2")).contains("incomplete: port 'rear-4' of '" + panel + "' (wired to 'front-4') is not connected");
        var unknown = SuiteFixture.run("inv", "type", "never-" + SUFFIX);
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("type 'never-" + SUFFIX + "' is not defined");
    }

    @Test
    void importRefusesAllOrNothingNamingTheRow_perRowWritesTheRest_andExportWritesWhatImportReads(@TempDir Path dir) throws IOException {
        String p = "imp-" + SUFFIX;
        Path csv = dir.resolve("rack.csv");
        Files.writeString(csv, "name,type,parent,unit,attr.cores:integer\n" + p + "-r,rack,,,\n" + p + "-s,server," + p + "-r,3,16\n"
                + p + "-bad,server," + p + "-nowhere,,\n");
        var refused = SuiteFixture.run("inv", "import", csv.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("1 of 3 rows are refused, so nothing was written")
                .contains("line 4, parent: no entity named '" + p + "-nowhere'");
        assertThat(ok("inv", "import", csv.toString(), "--dry-run")).containsPattern("2\\s+" + p + "-r\\s+created")
                .contains("created 2, changed 0, unchanged 0, refused 1 (dry run: the import would write nothing, a row is refused");
        String perRow = ok("inv", "import", csv.toString(), "--per-row", "--note", "racked");
        assertThat(perRow).containsPattern("3\\s+" + p + "-s\\s+created").containsPattern("4\\s+" + p + "-bad\\s+refused\\s+parent: no entity named")
                .contains("created 2, changed 0, unchanged 0, refused 1 (written)");
        Path yaml = dir.resolve("out.yaml");
        ok("inv", "export", "name:" + p + "-*", "--format", "yaml", "-o", yaml.toString());
        assertThat(Files.readString(yaml)).contains("name: " + p + "-s").contains("unit: 3");
        assertThat(ok("inv", "import", yaml.toString())).isEqualTo("created 0, changed 0, unchanged 2, refused 0 (written)" + System.lineSeparator());
        assertThat(ok("inv", "export", "name:" + p + "-*")).startsWith("name,type,parent,unit,height,pools,connections,attr.cores:integer")
                .contains(p + "-s,server," + p + "-r,3,1,,,16");
        var unknown = SuiteFixture.run("inv", "import", dir.resolve("racks.txt").toString());
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("say --format csv or --format yaml");
    }

    @Test
    void typeAttributesSetsTheRulesKeepsThePassThroughAndNamesWhoBreaksThem() {
        String type = "rtype-" + SUFFIX;
        String server = "s-rule-" + SUFFIX;
        ok("inv", "add", type, server, "--attr", "memory=0");
        ok("inv", "type", type, "--pass-through", "front-,rear-");
        String defined = ok("inv", "type", type, "--attributes", "{\"memory\": {\"type\": \"integer\", \"required\": true, \"min\": 1}}");
        assertThat(defined).contains(type + " (version 2): passes connections through, front-x <-> rear-x")
                .containsPattern("memory\\s+integer\\s+yes\\s+-\\s+-\\s+1\\s+-\\s+-")
                .contains("1 entity of type " + type + " breaks the rules now").contains(server + " memory: must be at least 1, not 0");
        var refused = SuiteFixture.run("inv", "attr", "set", server, "memory", "0");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("memory must be at least 1, not 0");
        ok("inv", "attr", "set", server, "memory", "64");
        var typo = SuiteFixture.run("inv", "type", type, "--attributes", "{\"memory\": {\"requird\": true}}");
        assertThat(typo.exitCode()).isEqualTo(1);
        assertThat(typo.err()).contains("--attributes: memory.requird is not a rule field");
    }

    @Test
    void typePortsGivesEachEntityItsPorts_portsListsThem_andACableOnAnotherPortIsRefused() {
        String type = "ptype-" + SUFFIX;
        String sw = "sw-ports-" + SUFFIX;
        String server = "s-ports-" + SUFFIX;
        ok("inv", "type", type, "--pass-through", "front-,rear-");
        String defined = ok("inv", "type", type, "--ports", "[1-4],mgmt0");
        assertThat(defined).contains(type + " (version 2): passes connections through").contains("ports: [1-4], mgmt0");
        ok("inv", "add", type, sw);
        ok("inv", "add", "server", server);
        var refused = SuiteFixture.run("inv", "connect", server + ":eth0", sw + ":5");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("'" + sw + "' has no port '5' (its ports are those its type declared)");
        ok("inv", "connect", server + ":eth0", sw + ":4");
        assertThat(ok("inv", "ports", sw)).containsPattern("(?m)^1\\s+yes\\s+-$").containsPattern("(?m)^4\\s+yes\\s+" + server + " eth0$")
                .containsPattern("(?m)^mgmt0\\s+yes\\s+-$").contains(sw + ": 5 ports, 1 cabled; cabled on its declared ports only");
        assertThat(ok("inv", "ports", server)).containsPattern("(?m)^eth0\\s+-\\s+" + sw + " 4$").contains(server + ": 1 port, 1 cabled");
    }

    @Test
    void showEffectiveListsWhatTheServerInheritsAndFromWhere() {
        String rack = "rack-eff-" + SUFFIX;
        String server = "s-eff-" + SUFFIX;
        ok("inv", "add", "rack", rack, "--attr", "feed=A");
        ok("inv", "add", "server", server, "--attr", "cores=8");
        ok("inv", "insert", rack, server);
        assertThat(ok("inv", "show", server)).doesNotContain("feed").doesNotContain("FROM");
        String effective = ok("inv", "show", server, "--effective");
        assertThat(effective).contains("FROM").containsPattern("feed\\s+-\\s+-\\s+A\\s+string\\s+" + rack)
                .containsPattern("cores\\s+-\\s+-\\s+8\\s+integer\\s+-");
        assertThat(ok("inv", "query", "type:server and effective:feed=A and in:" + rack)).contains(server);
    }

    @Test
    void attributeVerbsAddGetSetAndDelete() {
        ok("inv", "attr", "add", SERVER, "disk", "500");
        assertThat(ok("inv", "attr", "get", SERVER, "disk")).contains("disk").contains("500");
        ok("inv", "attr", "set", SERVER, "disk", "1000");
        assertThat(ok("inv", "attr", "get", SERVER, "disk")).contains("1000").doesNotContain("500");
        ok("inv", "attr", "del", SERVER, "disk");
        assertThat(ok("inv", "attr", "get", SERVER, "disk")).doesNotContain("1000");
    }

    @Test
    void queryFindsTheServerTransitivelyInItsDatacenterAsTableAndJson() {
        assertThat(ok("inv", "query", "type:server and in:" + DC)).contains(SERVER).contains("NAME");
        JsonNode json = Http.read(ok("inv", "query", "type:server and in:" + DC, "--json"));
        assertThat(json.findValuesAsText("name")).containsExactly(SERVER);
    }

    @Test
    void anAttributeWithASubkeyIsShownWithItAndItsNumberTyped() {
        String nic = "nic-" + SUFFIX;
        ok("inv", "add", "server", nic, "--attr", "nic.eth0=up", "--attr", "cores=8");
        JsonNode shown = Http.read(ok("inv", "show", nic, "--json"));
        assertThat(shown.path("attributes").findValuesAsText("subkey")).contains("eth0");
        assertThat(ok("inv", "query", "attr:cores>=8 and name:" + nic)).contains(nic);
        assertThat(ok("inv", "attr", "get", nic, "nic")).contains("eth0").contains("up").doesNotContain("cores");
    }

    @Test
    void queryShowsAtMostLimitEntitiesAndRefusesALimitBelowOne() {
        assertThat(Http.read(ok("inv", "query", "type:rack or type:server", "--limit", "1", "--json"))).hasSize(1);
        var refused = SuiteFixture.run("inv", "query", "type:server", "--limit", "0");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--limit must be at least 1");
    }

    @Test
    void aBadExpressionIsOneLineWithItsPosition() {
        var result = SuiteFixture.run("inv", "query", "type:server and (");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("error: inventory-service: ").doesNotContain("\n");
    }

    @Test
    void ipAllocationGivesAnAddressOfTheRange() {
        String range = "net-" + SUFFIX;
        ok("inv", "ip", "add", range, "10.77.0.0/24");
        assertThat(ok("inv", "ip", "allocate", range, SERVER).strip()).startsWith("10.77.0.");
    }

    @Test
    void historyListsTheCreationFirst() {
        assertThat(ok("inv", "history", SERVER)).contains("CREATED");
        JsonNode history = Http.read(ok("inv", "history", SERVER, "--json"));
        JsonNode first = history.isArray() ? history.get(0) : history.path("items").get(0);
        assertThat(first.path("op").asText()).isEqualTo("CREATED");
    }

    @Test
    void historyShowsWhoMadeEachChangeAndItsNote_givenByNote_withControlCharactersEscaped(@TempDir Path dir) throws IOException {
        String name = "hist-" + SUFFIX;
        Path csv = dir.resolve("one.csv");
        Files.writeString(csv, "name,type\n" + name + ",server\n");
        // a tab is the one control character a note may hold; the table shows it, not a jump to the next stop
        ok("inv", "import", csv.toString(), "--note", "OPS-42\tmoved " + "x".repeat(80));
        var refused = SuiteFixture.run("inv", "import", csv.toString(), "--note", "OPS-42 \u009b2J");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("note").contains("without control characters");
        ok("inv", "attr", "set", name, "status", "retired", "--note", "OPS-43 retire it");
        ok("inv", "attr", "set", name, "status", "gone");
        String history = ok("inv", "history", name);
        assertThat(history).containsPattern("(?m)^2\\s+UPDATED\\s+\\S+\\s+\\S+\\s+OPS-43 retire it$").containsPattern("(?m)^3\\s+UPDATED\\s+\\S+\\s+\\S+\\s+-$")
                .containsPattern("VERSION\\s+OP\\s+AT\\s+BY\\s+NOTE")
                .contains("OPS-42\\tmoved x").doesNotContain("\t")
                .contains("x".repeat(20) + "...").doesNotContain("x".repeat(80));
        assertThat(Http.read(ok("inv", "history", name, "--json")).get(0).path("note").asText()).endsWith("x".repeat(80));
    }

    @Test
    void allocateAssignsMatchingServersToAPoolAllOrNothing() {
        String dc = "alloc-dc-" + SUFFIX;
        ok("inv", "add", "datacenter", dc);
        for (int i = 0; i < 2; i++) {
            ok("inv", "add", "rack", dc + "-r" + i);
            ok("inv", "insert", dc, dc + "-r" + i);
            ok("inv", "add", "server", dc + "-s" + i);
            ok("inv", "insert", dc + "-r" + i, dc + "-s" + i, "--unit", "1");
        }
        String pool = "web-" + SUFFIX;
        JsonNode allocation = Http.read(ok("inv", "allocate", "2", "type:server and in:" + dc, "--spread-by", "rack", "--pool", pool, "--json"));
        assertThat(allocation.findValuesAsText("name")).contains(dc + "-s0", dc + "-s1");
        assertThat(ok("inv", "query", "pool:" + pool)).contains(dc + "-s0").contains(dc + "-s1");

        var impossible = SuiteFixture.run("inv", "allocate", "3", "type:server and in:" + dc, "--spread-by", "rack");
        assertThat(impossible.exitCode()).isEqualTo(1);
        assertThat(impossible.err()).startsWith("error: inventory-service: ");
    }

    private static String ok(String... args) {
        var result = SuiteFixture.run(args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
        return result.out();
    }
}
