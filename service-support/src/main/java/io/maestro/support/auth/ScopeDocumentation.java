package io.maestro.support.auth;

import io.maestro.support.problem.Problem;
import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes access control into the OpenAPI document from the one place it is declared, each operation's
 * {@link RequiresScope}: the bearer scheme (so Swagger UI offers "Authorize"), every {@code /v1} operation's
 * security requirement with its scope (as OpenAPI 3.1 allows for any scheme), the extension
 * {@value #SCOPE_EXTENSION} (scope and the parameter a narrowed scope is matched against) and its 401 and 403.
 */
@OpenApiFilter(OpenApiFilter.RunStage.RUN)
public class ScopeDocumentation implements OASFilter {
    public static final String SCHEME = "bearer";
    public static final String SCOPE_EXTENSION = "x-maestro-scope";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("A token of the suite: `maestro token create --subject <who> --scopes <scope,...>` prints one. "
                        + "Scopes are <service>:<verb>, optionally narrowed to names by a glob (registry:register:payments.*); "
                        + "admin holds all."));
        if (openAPI.getPaths() == null) {
            return;
        }
        Map<String, RequiresScope> declared = declaredScopes();
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/v1/")) {
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> operation : path.getValue().getOperations().entrySet()) {
                RequiresScope required = declared.get(operation.getKey().name() + " " + path.getKey());
                if (required != null) {
                    document(operation.getValue(), required);
                }
            }
        }
    }

    private static void document(Operation operation, RequiresScope required) {
        operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME, required.value())));
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("scope", required.value());
        if (!required.narrowedBy().isEmpty()) {
            scope.put("narrowedBy", required.narrowedBy());
        } else if (required.nameInBody()) {
            scope.put("narrowedBy", "body");
        }
        operation.addExtension(SCOPE_EXTENSION, scope);
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        add(responses, "401", "Unauthorized: no bearer token, or one that is malformed, expired, signed by another key or revoked");
        add(responses, "403", "Forbidden: the token lacks scope " + required.value()
                + (required.narrowedBy().isEmpty() && !required.nameInBody() ? "" : " for this name"));
        add(responses, "503", "Not ready: the service has not read the list of revoked tokens yet (it says when to retry)");
    }

    private static void add(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                            OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")))));
        }
    }

    /** {@code "PUT /v1/services/{service}/instances/{instanceId}"} to its scope, from the application's resources. */
    static Map<String, RequiresScope> declaredScopes() {
        Map<String, RequiresScope> declared = new HashMap<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                RequiresScope required = method.getAnnotation(RequiresScope.class);
                String verb = httpMethod(method);
                if (required != null && verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    declared.put(verb + " " + join(root.value(), sub == null ? "" : sub.value()), required);
                }
            }
        }
        return declared;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value().toUpperCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
