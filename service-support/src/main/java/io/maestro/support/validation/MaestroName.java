package io.maestro.support.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A name by the rule of DESIGN.md section 5 ({@link io.maestro.support.problem.Names#RULE}): services, groups,
 * entities, clusters, tags. The violation says the rule in the words {@code Names.require} uses, so a 400 reads the
 * same whether a request record or code checked it. Missing counts as breaking the rule unless {@link #optional}.
 */
@Documented
@Constraint(validatedBy = MaestroNameValidator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface MaestroName {
    /** Replaced by the rule itself (see {@link MaestroNameValidator}); present because Bean Validation requires it. */
    String message() default "must be a name";

    /** True when the field may be left out (null); an empty or malformed value still breaks the rule. */
    boolean optional() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
