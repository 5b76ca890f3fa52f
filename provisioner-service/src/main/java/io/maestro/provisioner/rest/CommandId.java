package io.maestro.provisioner.rest;

import io.maestro.provisioner.service.CommandValidator;
import io.maestro.support.validation.Rules;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An optional command id by {@link CommandValidator#COMMAND_ID_RULE} (a new UUID is used when it is missing). */
@Documented
@Constraint(validatedBy = CommandId.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface CommandId {
    String message() default "must be a command id";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks {@link CommandId}; its violation says the rule. */
    class Validator implements ConstraintValidator<CommandId, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || CommandValidator.isCommandId(value)) {
                return true;
            }
            Rules.report(context, CommandValidator.COMMAND_ID_RULE);
            return false;
        }
    }
}
