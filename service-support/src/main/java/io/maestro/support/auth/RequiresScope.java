package io.maestro.support.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a {@code /v1} operation needs ({@code registry:register}); {@link AccessFilter} refuses a request whose
 * token lacks it, and {@link ScopeDocumentation} writes it into the operation's OpenAPI security requirement. An
 * operation without this annotation is refused to everyone (default deny).
 *
 * <p>A scope narrowed by a glob ({@code registry:register:payments.*}) allows the operation only on the names the
 * glob matches: the value of the path parameter {@link #narrowedBy()}, or, when {@link #nameInBody()}, the name the
 * resource reads from the body and checks with {@link CurrentCaller#requireName(String)}. An operation that
 * addresses no one name (a list) needs the scope un-narrowed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresScope {
    /** {@code <service>:<verb>}, one of {@link io.maestro.client.auth.Scopes#KNOWN}. */
    String value();

    /** The path parameter holding the name a narrowed scope must match; empty when the operation has none. */
    String narrowedBy() default "";

    /** The name is in the request body; the resource must call {@link CurrentCaller#requireName(String)}. */
    boolean nameInBody() default false;

    /**
     * Whether a granted request is written to the audit log (category {@value AccessFilter#AUDIT_CATEGORY}, INFO):
     * every change is, but a heartbeat (a renewal every few seconds that changes nothing anyone decided) is not.
     */
    boolean audited() default true;
}
