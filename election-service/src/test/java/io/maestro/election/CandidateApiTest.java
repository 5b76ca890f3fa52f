package io.maestro.election;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The REST contract of DESIGN.md section 5: status codes, fields, tokens, problem documents. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class CandidateApiTest {

    @Test
    void theFirstCandidateLeadsWithTokenOneAndTheSecondFollows() {
        given().contentType(ContentType.JSON)
                .body(Map.of("candidateId", "alpha", "ttlMillis", 10_000, "keys", List.of("k1"), "metadata", Map.of("zone", "a")))
                .post("/v1/groups/{group}/candidates", "api-first")
                .then().statusCode(201)
                .header("Location", containsString("/v1/groups/api-first/candidates/alpha"))
                .body("candidateId", equalTo("alpha"))
                .body("token", notNullValue())
                .body("ttlMillis", equalTo(10_000))
                .body("leader", equalTo(true))
                .body("fencingToken", equalTo(1))
                .body("keys.key", contains("k1"));
        given().contentType(ContentType.JSON).body(Map.of("candidateId", "beta"))
                .post("/v1/groups/{group}/candidates", "api-first")
                .then().statusCode(201)
                .body("leader", equalTo(false))
                .body("fencingToken", nullValue())
                .body("ttlMillis", equalTo(2000));

        Candidates.group("api-first").then().statusCode(200)
                .body("group", equalTo("api-first"))
                .body("leader.candidateId", equalTo("alpha"))
                .body("leader.fencingToken", equalTo(1))
                .body("leader.since", notNullValue())
                .body("candidates.candidateId", contains("alpha", "beta"))
                .body("candidates[0].metadata.zone", equalTo("a"))
                .body("keys.k1.owner", equalTo("alpha"))
                .body("keys.k1.fencingToken", equalTo(1));
    }

    @Test
    void aHeartbeatReportsLeadershipKeysAndTheRemainingLease() {
        String token = Candidates.join("api-heartbeat", "solo", 5000, List.of("a", "b"));
        Candidates.heartbeat("api-heartbeat", "solo", token).then().statusCode(200)
                .body("leader", equalTo(true))
                .body("fencingToken", equalTo(1))
                .body("keys.key", contains("a", "b"))
                .body("keys.fencingToken", contains(1, 1))
                .body("leaseRemainingMillis", lessThanOrEqualTo(5000))
                .body("leaseRemainingMillis", greaterThan(3000))
                .body("leaseExpiresAt", notNullValue());
    }

    @Test
    void theTokenIsNeverListed() {
        String token = Candidates.join("api-secret", "keeper", 5000, List.of());
        String state = Candidates.group("api-secret").then().statusCode(200).extract().asString();
        assertThat(state).doesNotContain(token).doesNotContain("tokenHash");
    }

    @Test
    void aWrongOrMissingTokenIsForbidden() {
        String token = Candidates.join("api-tokens", "owner", 5000, List.of("k"));
        String notTheCandidates = "X-Maestro-Token is not the token of candidate 'owner'";
        Candidates.heartbeat("api-tokens", "owner", token + "x").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403)).body("detail", containsString(notTheCandidates));
        Candidates.resign("api-tokens", "owner", "not-the-token").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString(notTheCandidates));
        given().header("X-Maestro-Token", "nope").put("/v1/groups/api-tokens/candidates/owner/keys/k2").then().statusCode(403)
                .body("detail", containsString(notTheCandidates));
        given().header("X-Maestro-Token", "nope").delete("/v1/groups/api-tokens/candidates/owner/keys/k").then().statusCode(403)
                .body("detail", containsString(notTheCandidates));
        given().put("/v1/groups/api-tokens/candidates/owner/heartbeat").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("X-Maestro-Token"));
        Candidates.group("api-tokens").then().body("leader.candidateId", equalTo("owner")).body("keys.k.owner", equalTo("owner"));
    }

    @Test
    void aHeartbeatAfterTheLeaseRanOutIsNotFound() {
        String token = Candidates.join("api-lost", "sleepy", 250, List.of());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                Candidates.group("api-lost").then().body("candidates.size()", equalTo(0)));
        Candidates.heartbeat("api-lost", "sleepy", token).then().statusCode(404).contentType("application/problem+json");
        Candidates.heartbeat("api-lost", "nobody", token).then().statusCode(404);
    }

    @Test
    void joiningTwiceWithALiveLeaseIsAConflict() {
        Candidates.join("api-twice", "same", 5000, List.of());
        given().contentType(ContentType.JSON).body(Map.of("candidateId", "same"))
                .post("/v1/groups/api-twice/candidates").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void keysAreDeclaredAndWithdrawn() {
        String token = Candidates.join("api-keys", "worker", 5000, List.of());
        given().header("X-Maestro-Token", token).put("/v1/groups/api-keys/candidates/worker/keys/orders").then().statusCode(200)
                .body("keys.key", contains("orders"));
        given().header("X-Maestro-Token", token).delete("/v1/groups/api-keys/candidates/worker/keys/orders").then().statusCode(200)
                .body("keys.key", org.hamcrest.Matchers.empty());
        Candidates.group("api-keys").then().body("keys.size()", equalTo(0)).body("candidates[0].keys.size()", equalTo(0));
    }

    @Test
    void anEncodedDotSegmentAsAKeyIsRefusedAndTheCandidacyStays() {
        String token = Candidates.join("api-dots", "owner", 10_000, List.of("orders"));
        for (String key : List.of("%2E%2E", "%2e%2e", ".%2E", "%2E", "a%2Fb")) {
            given().urlEncodingEnabled(false).header("X-Maestro-Token", token)
                    .delete("/v1/groups/api-dots/candidates/owner/keys/" + key).then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("path"));
        }
        // still the leader, still holding its key: nothing was resigned
        Candidates.group("api-dots").then().statusCode(200)
                .body("leader.candidateId", equalTo("owner"))
                .body("candidates.candidateId", contains("owner"))
                .body("keys.orders.owner", equalTo("owner"));
        Candidates.heartbeat("api-dots", "owner", token).then().statusCode(200);
    }

    @Test
    void anUnknownGroupIsEmpty() {
        Candidates.group("api-nobody-here").then().statusCode(200)
                .body("leader", nullValue()).body("candidates.size()", equalTo(0)).body("keys.size()", equalTo(0));
    }

    @Test
    void invalidInputIsABadRequestNamingTheField() {
        badJoin("API-Upper", Map.of("candidateId", "x"), "group");
        badJoin("api-invalid", Map.of("ttlMillis", 1000), "candidateId");
        badJoin("api-invalid", Map.of("candidateId", "Not A Name"), "candidateId");
        badJoin("api-invalid", Map.of("candidateId", "x", "ttlMillis", 100), "ttlMillis");
        badJoin("api-invalid", Map.of("candidateId", "x", "ttlMillis", 10_000_000), "ttlMillis");
        badJoin("api-invalid", Map.of("candidateId", "x", "ttlMillis", "soon"), "ttlMillis");
        badJoin("api-invalid", Map.of("candidateId", "x", "keys", List.of("ok", "not ok")), "keys[1]");
        List<String> tooMany = IntStream.range(0, 10_001).mapToObj(i -> "k" + i).toList();
        badJoin("api-invalid", Map.of("candidateId", "x", "keys", tooMany), "keys");
        badJoin("api-invalid", Map.of("candidateId", "x", "metadata", "text"), "metadata");
        badJoin("api-invalid", Map.of("candidateId", "x", "metadata", Map.of("blob", "x".repeat(16 * 1024))), "metadata");

        String token = Candidates.join("api-invalid", "valid", 5000, List.of());
        given().header("X-Maestro-Token", token).put("/v1/groups/api-invalid/candidates/valid/keys/Bad_Key").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("key"));
        given().get("/v1/groups/Bad_Group").then().statusCode(400).body("errors.field", hasItem("group"));
        given().get("/v1/groups/api-invalid/watch?after=yesterday").then().statusCode(400).body("errors.field", hasItem("after"));
    }

    @Test
    void aCandidateDeclaresAtMostTheKeyLimitOneByOne() {
        List<String> keys = new ArrayList<>(IntStream.range(0, 10_000).mapToObj(i -> "k" + i).toList());
        String token = Candidates.join("api-limit", "full", 60_000, keys);
        given().header("X-Maestro-Token", token).put("/v1/groups/api-limit/candidates/full/keys/one-more").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("key"));
        given().header("X-Maestro-Token", token).put("/v1/groups/api-limit/candidates/full/keys/k0").then().statusCode(200);
    }

    private static void badJoin(String group, Map<String, ?> body, String field) {
        given().contentType(ContentType.JSON).body(body).post("/v1/groups/{group}/candidates", group).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field));
    }
}
