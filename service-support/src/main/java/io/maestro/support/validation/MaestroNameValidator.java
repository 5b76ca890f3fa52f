package io.maestro.support.validation;

import io.maestro.events.Require;
import io.maestro.support.problem.Names;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link MaestroName}; its violation's message is {@link Names#RULE}. */
public class MaestroNameValidator implements ConstraintValidator<MaestroName, String> {
    private boolean optional;

    @Override
    public void initialize(MaestroName constraint) {
        optional = constraint.optional();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null ? optional : Require.NAME.matcher(value).matches()) {
            return true;
        }
        Rules.report(context, Names.RULE);
        return false;
    }
}
