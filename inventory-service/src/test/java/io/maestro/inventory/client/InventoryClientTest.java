package io.maestro.inventory.client;

import io.maestro.client.http.MaestroApiException;
import io.maestro.client.inventory.AttributeValue;
import io.maestro.client.inventory.Change;
import io.maestro.client.inventory.Entity;
import io.maestro.client.inventory.EntityType;
import io.maestro.client.inventory.Ports;
import io.maestro.client.inventory.ImportReport;
import io.maestro.client.inventory.IpRange;
import io.maestro.client.inventory.Inventory;
import io.maestro.client.inventory.Location;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** clusto's API of the SDK ({@code io.maestro.client.inventory.Inventory}) against this service on the local stack. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class InventoryClientTest {
    @TestHTTPResource("/")
    URI service;

    private final String s = "c" + Long.toString(System.nanoTime(), 36);

    private Inventory inventory() {
        return Inventory.builder(service).token(Tokens.admin()).build();
    }

    @Test
    void entitiesTheirAttributesContainersAndPortsAsClustoHasThem() {
        Inventory inv = inventory();
        inv.create(s + "-dc", "datacenter");
        inv.create(s + "-rack", "rack");
        inv.insert(s + "-dc", s + "-rack");
        Entity created = inv.create(s + "-s1", "server", Map.of("memory", 64, "role", List.of("web", "db")));
        assertThat(created.value("memory")).contains("64");
        assertThat(created.values("role")).extracting(v -> v.asText()).containsExactly("web", "db");

        inv.addAttribute(s + "-s1", "os", "debian");
        inv.setAttribute(s + "-s1", "memory", 128);
        Entity after = inv.deleteAttribute(s + "-s1", "role");
        assertThat(after.value("memory")).contains("128");
        assertThat(after.value("os")).contains("debian");
        assertThat(after.values("role")).isEmpty();

        inv.insert(s + "-rack", s + "-s1", 13, 2);
        inv.create(s + "-sw", "switch");
        inv.connect(s + "-s1", "eth0", s + "-sw", "port7");
        Location location = inv.locate(s + "-s1");
        assertThat(location.chain()).extracting(Location.Link::entity).containsExactly(s + "-rack", s + "-dc");
        assertThat(location.chain().get(0).unit()).isEqualTo(13);
        assertThat(inv.get(s + "-s1").connections()).containsExactly(new Entity.PortConnection("eth0", s + "-sw", "port7"));

        inv.addToPool(s + "-spare", s + "-s1");
        assertThat(inv.get(s + "-s1").pools()).containsExactly(s + "-spare");
        inv.removeFromPool(s + "-spare", s + "-s1");
        assertThat(inv.get(s + "-s1").pools()).isEmpty();
    }

    @Test
    void historyIpRangesAndSubkeysAsClustoHasThem() {
        Inventory inv = inventory();
        inv.create(s + "-h1", "server", List.of(new AttributeValue("nic", "eth0", "up"), AttributeValue.of("memory", 64)));
        inv.setAttribute(s + "-h1", "memory", 128);
        inv.deleteAttribute(s + "-h1", "nic", "up");

        List<Change> history = inv.history(s + "-h1");
        assertThat(history).extracting(Change::op).startsWith("CREATED").contains("UPDATED");
        assertThat(history).extracting(Change::version).isSorted();
        assertThat(history.get(0).after().attributes()).anySatisfy(a -> {
            assertThat(a.key()).isEqualTo("nic");
            assertThat(a.subkey()).isEqualTo("eth0");
        });
        assertThat(history.get(history.size() - 1).after().attributes()).extracting(Entity.Attribute::key).doesNotContain("nic");
        assertThat(history.get(history.size() - 1).after().value("memory")).contains("128");

        assertThat(inv.addRange(s + "-net", "10.91.0.0/29")).isEqualTo(new IpRange(s + "-net", "10.91.0.0/29"));
        Entity.Address address = inv.allocateAddress(s + "-net", s + "-h1");
        assertThat(address.address()).startsWith("10.91.0.");
        assertThat(address.range()).isEqualTo(s + "-net");
        assertThat(inv.get(s + "-h1").addresses()).containsExactly(address);
    }

    @Test
    void aQueryIsReadPageByPageAsTheStreamIsConsumed() {
        Inventory inv = inventory();
        for (int i = 0; i < 105; i++) {
            inv.create(String.format("%s-q-%03d", s, i), "server", Map.of("batch", s));
        }
        List<String> names = inv.query("attr:batch=" + s).map(Entity::name).toList();
        assertThat(names).hasSize(105).isSorted().startsWith(s + "-q-000").endsWith(s + "-q-104");
        assertThat(inv.query("attr:batch=" + s).limit(3).map(Entity::name)).containsExactly(s + "-q-000", s + "-q-001", s + "-q-002");
    }

    @Test
    void serversEachInADifferentRackAreAllocatedAllOrNothing() {
        Inventory inv = inventory();
        inv.create(s + "-dcz", "datacenter");
        for (int r = 0; r < 3; r++) {
            String rack = s + "-rack" + r;
            inv.create(rack, "rack");
            inv.insert(s + "-dcz", rack);
            for (int u = 1; u <= 2; u++) {
                String server = s + "-r" + r + "-s" + u;
                inv.create(server, "server", Map.of("status", "unallocated"));
                inv.insert(rack, server, u, 1);
            }
        }
        String query = "type:server and in:" + s + "-dcz and attr:status=unallocated";
        List<Entity> three = inv.allocate(query, 3).spreadBy("rack").assignToPool(s + "-web")
                .assignAttributes(Map.of("status", "allocated")).commit();
        assertThat(three).hasSize(3).allSatisfy(e -> {
            assertThat(e.pools()).contains(s + "-web");
            assertThat(e.value("status")).contains("allocated");
        });
        assertThat(three.stream().map(Entity::parent).collect(Collectors.toSet())).hasSize(3);

        assertThatThrownBy(() -> inv.allocate(query, 4).spreadBy("rack").assignToPool(s + "-web").commit())
                .isInstanceOfSatisfying(MaestroApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.detail()).contains("nothing was allocated");
                });
        assertThat(inv.query(query).count()).as("the failed allocation changed nothing").isEqualTo(3);
    }

    @Test
    void refusalsAreTheOneErrorTypeNamingTheFieldAndTheRule() {
        Inventory inv = inventory();
        assertThatThrownBy(() -> inv.get(s + "-missing"))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> inv.create("Not A Name", "server"))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(MaestroApiException.FieldError::field).contains("name");
                });
        assertThatThrownBy(() -> inv.query("type:server and ("))
                .as("a refused expression fails at the call, not at the stream's first use")
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> Inventory.builder(service).build().get(s + "-any"))
                .as("no token").isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void anImportAndItsExportThroughTheSdk_andTypeRulesThatTheImportKeeps() {
        Inventory inv = inventory();
        String type = s + "-imptype";
        EntityType defined = inv.defineType(type, null, Map.of("memory", EntityType.AttributeRule.ofType("integer").withRequired().withRange(1, 1024)));
        assertThat(defined.attributes().get("memory").required()).isTrue();
        assertThat(defined.violating()).isZero();
        byte[] csv = ("name,type,attr.memory:integer\n" + s + "-i1," + type + ",64\n" + s + "-i2," + type + ",0\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        ImportReport dry = inv.importing(Inventory.FileFormat.CSV, csv).perRow().dryRun();
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.rows()).extracting(ImportReport.Row::outcome).containsExactly("created", "refused");
        assertThat(dry.rows().get(1).column()).isEqualTo("attr.memory");
        assertThat(dry.rows().get(1).error()).isEqualTo("must be at least 1, not 0");
        assertThatThrownBy(() -> inv.get(s + "-i1")).isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(404));

        assertThatThrownBy(() -> inv.importing(Inventory.FileFormat.CSV, csv).commit())
                .isInstanceOfSatisfying(MaestroApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(MaestroApiException.FieldError::field).containsExactly("line 3, attr.memory");
                });
        ImportReport written = inv.importing(Inventory.FileFormat.CSV, csv).perRow().note("from the SDK").commit();
        assertThat(written.created()).isEqualTo(1);
        assertThat(inv.history(s + "-i1").get(0).note()).isEqualTo("from the SDK");

        String yaml = inv.export("name:" + s + "-i*", Inventory.FileFormat.YAML);
        assertThat(yaml).contains("name: " + s + "-i1").doesNotContain(s + "-i2");
        ImportReport again = inv.importing(Inventory.FileFormat.YAML, yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)).commit();
        assertThat(again.unchanged()).isEqualTo(1);
        assertThat(inv.export("name:" + s + "-i*", Inventory.FileFormat.CSV)).startsWith("name,type,parent");
    }

    @Test
    void withNoteEveryChangeCarriesTheNote_intoTheHistory_andTheInventoryItCameFromStaysWithout() {
        Inventory inv = inventory();
        Inventory noted = inv.withNote("OPS-7: retire & replace");
        String name = s + "-noted";
        noted.create(name, "server", Map.of("status", "live"));
        noted.setAttribute(name, "status", "retired");
        noted.addToPool(s + "-noted-pool", name);
        inv.setAttribute(name, "status", "gone");
        assertThat(inv.history(name)).extracting(Change::note)
                .containsExactly("OPS-7: retire & replace", "OPS-7: retire & replace", "OPS-7: retire & replace", null);
        assertThatThrownBy(() -> inv.withNote("two\nlines").setAttribute(name, "status", "x"))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(inv.get(name).version()).isEqualTo(4);
    }

    @Test
    void aTypesPortTemplatesThroughTheSdk_givePortsThatTheEntityIsCabledOnOnly() {
        Inventory inv = inventory();
        String type = s + "-sw4";
        EntityType defined = inv.defineType(type, null, null, List.of("ge-[1-4]"));
        assertThat(defined.ports()).containsExactly("ge-[1-4]");
        assertThat(defined.portsAdded()).isZero();
        inv.create(s + "-p-sw", type);
        inv.create(s + "-p-srv", "server");
        assertThatThrownBy(() -> inv.connect(s + "-p-srv", "eth0", s + "-p-sw", "ge-5"))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(MaestroApiException.FieldError::field).containsExactly("b.port");
                });
        inv.connect(s + "-p-srv", "eth0", s + "-p-sw", "ge-2");
        Ports ports = inv.ports(s + "-p-sw");
        assertThat(ports.declaredOnly()).isTrue();
        assertThat(ports.ports()).extracting(Ports.Port::port).containsExactly("ge-1", "ge-2", "ge-3", "ge-4");
        assertThat(ports.ports().get(1).connectedTo()).isEqualTo(new Ports.End(s + "-p-srv", "eth0"));
        assertThat(inv.type(type).ports()).containsExactly("ge-[1-4]");
    }
}
