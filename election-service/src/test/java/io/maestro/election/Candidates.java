package io.maestro.election;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Test helper: candidates through the REST API. */
final class Candidates {
    private Candidates() {
    }

    /** Joins and returns the token (asserts 201). */
    static String join(String group, String candidateId, long ttlMillis, List<String> keys) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("candidateId", candidateId, "ttlMillis", ttlMillis, "keys", keys))
                .post("/v1/groups/{group}/candidates", group)
                .then().statusCode(201).extract().path("token");
    }

    static Response heartbeat(String group, String candidateId, String token) {
        return given().header("X-Maestro-Token", token).contentType(ContentType.JSON)
                .put("/v1/groups/{group}/candidates/{candidateId}/heartbeat", group, candidateId);
    }

    static Response release(String group, String candidateId, String token, List<String> keys) {
        return given().header("X-Maestro-Token", token).contentType(ContentType.JSON)
                .body(Map.of("releasedKeys", keys))
                .put("/v1/groups/{group}/candidates/{candidateId}/heartbeat", group, candidateId);
    }

    static Response resign(String group, String candidateId, String token) {
        return given().header("X-Maestro-Token", token).delete("/v1/groups/{group}/candidates/{candidateId}", group, candidateId);
    }

    static Response group(String group) {
        return given().get("/v1/groups/{group}", group);
    }
}
