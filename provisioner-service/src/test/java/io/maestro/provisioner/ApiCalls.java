package io.maestro.provisioner;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** REST calls the tests share. */
public final class ApiCalls {
    private ApiCalls() {
    }

    /** Waits until the command finished and checks it ended in {@code status}. */
    public static void awaitCommand(String commandId, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                given().get("/v1/commands/" + commandId).then().statusCode(200).extract().path("status"),
                s -> s.equals(status) || s.equals("FAILED") || s.equals("SUCCEEDED"));
        given().get("/v1/commands/" + commandId).then().statusCode(200).body("status", equalTo(status));
    }

    /** Checks a 202 with its Location and returns the command id. */
    public static String commandIdOf(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        String id = response.path("commandId");
        assertThat(response.header("Location")).endsWith("/v1/commands/" + id);
        return id;
    }

    public static JsonPath exec(String cluster, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/clusters/" + cluster + "/exec")
                .then().statusCode(200).extract().jsonPath();
    }
}
