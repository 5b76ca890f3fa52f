package io.maestro.inventory;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Small REST helpers shared by the specifications; names get a random suffix so tests don't collide. */
public final class Api {
    private Api() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static ValidatableResponse create(String name, String type, Map<?, ?>... attributes) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "type", type, "attributes", List.of(attributes)))
                .post("/v1/entities").then();
    }

    public static void created(String name, String type, Map<?, ?>... attributes) {
        create(name, type, attributes).statusCode(201);
    }

    public static ValidatableResponse insert(String parent, String child, Integer unit, Integer height) {
        Map<String, Object> body = unit == null ? Map.of("child", child) : Map.of("child", child, "position", Map.of("unit", unit, "height", height));
        return given().contentType(ContentType.JSON).body(body).post("/v1/entities/" + parent + "/contents").then();
    }

    public static ValidatableResponse connect(String a, String aPort, String b, String bPort) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("a", Map.of("entity", a, "port", aPort), "b", Map.of("entity", b, "port", bPort)))
                .post("/v1/connections").then();
    }

    public static Map<String, Object> attr(String key, Object value) {
        return Map.of("key", key, "value", value);
    }
}
