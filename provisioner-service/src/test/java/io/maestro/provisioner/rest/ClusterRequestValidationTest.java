package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class ClusterRequestValidationTest {

    private static void rejected(Object body, String field, String rule) {
        given().contentType(ContentType.JSON).body(body).post("/v1/clusters").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", allOf(containsString(field), containsString(rule)));
    }

    private static Map<String, Object> group(String tag, Object count, String driver) {
        return driver == null ? Map.of("tag", tag, "count", count) : Map.of("tag", tag, "count", count, "driver", driver);
    }

    @Test
    void anInvalidClusterNameIsRejectedNamingTheRule() {
        rejected(Map.of("name", "Bad Name!", "groups", List.of(group("a", 1, null))), "name", "[a-z0-9]");
    }

    @Test
    void aLaunchWithoutGroupsIsRejected() {
        rejected(Map.of("name", "nogroups"), "groups", "at least one group");
    }

    @Test
    void aGroupWithoutCountOrWithANegativeOneIsRejected() {
        rejected(Map.of("name", "c1", "groups", List.of(Map.of("tag", "a"))), "groups[0].count", "required");
        rejected(Map.of("name", "c1", "groups", List.of(group("a", -1, null))), "groups[0].count", ">= 0");
    }

    @Test
    void anUnknownDriverIsRejectedNamingTheKnownOnes() {
        rejected(Map.of("name", "c2", "groups", List.of(group("a", 1, "openstack"))), "groups[0].driver",
                "unknown driver 'openstack'; known drivers: aws-ec2, local");
    }

    @Test
    void duplicateTagsAreRejected() {
        rejected(Map.of("name", "c3", "groups", List.of(group("a", 1, null), group("a", 2, null))), "groups[1].tag", "unique");
    }

    @Test
    void anUnknownDriverOptionIsRejected() {
        rejected(Map.of("name", "c4", "groups", List.of(Map.of("tag", "a", "count", 1, "options", Map.of("size", "xl")))),
                "groups[0].options.size", "unknown option");
    }

    @Test
    void anAwsGroupWithoutImageIdIsRejectedBeforeAnythingRuns() {
        rejected(Map.of("name", "c7", "groups", List.of(Map.of("tag", "a", "count", 1, "driver", "aws-ec2",
                "options", Map.of("instanceType", "t3.micro")))), "groups[0].options.imageId", "required by driver 'aws-ec2'");
    }

    @Test
    void aMalformedPublicKeyIsRejected() {
        rejected(Map.of("name", "c5", "groups", List.of(group("a", 1, null)), "sshPublicKey", "ssh-rsa not-base64"),
                "sshPublicKey", "OpenSSH public key");
    }

    @Test
    void moreNodesThanAClusterMayHaveAreRejected() {
        rejected(Map.of("name", "c6", "groups", List.of(group("a", 60, null), group("b", 60, null))), "groups", "at most 100 nodes per cluster");
    }

    @Test
    void malformedJsonIsABadRequestNotAServerError() {
        given().contentType(ContentType.JSON).body("{\"name\": ").post("/v1/clusters").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void operationsOnAnUnknownClusterAre404() {
        given().get("/v1/clusters/ghost").then().statusCode(404).contentType("application/problem+json");
        given().post("/v1/clusters/ghost/stop").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("command", "true")).post("/v1/clusters/ghost/exec").then().statusCode(404);
        given().get("/v1/clusters/ghost/nodes/a/0/login").then().statusCode(404);
        given().get("/v1/commands/no-such-command").then().statusCode(404).contentType("application/problem+json");
    }
}
