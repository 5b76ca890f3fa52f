package io.maestro.support.validation;

import io.maestro.support.problem.Names;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MaestroNameTest {
    record Group(@MaestroName String tag, @MaestroName(optional = true) String driver) {
    }

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    @Test
    void aNameBreakingTheRuleIsReportedWithTheRuleWordForWordBracesIncluded() {
        Set<ConstraintViolation<Group>> violations = VALIDATOR.validate(new Group("Bad Name!", null));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.getPropertyPath()).hasToString("tag");
            assertThat(v.getMessage()).isEqualTo(Names.RULE).contains("{0,127}");
        });
    }

    @Test
    void aMissingNameBreaksTheRuleUnlessItIsOptionalAndAnEmptyOneAlways() {
        assertThat(VALIDATOR.validate(new Group(null, null))).extracting(v -> v.getPropertyPath().toString()).containsExactly("tag");
        assertThat(VALIDATOR.validate(new Group("web", ""))).extracting(v -> v.getPropertyPath().toString()).containsExactly("driver");
        assertThat(VALIDATOR.validate(new Group("web-1.a_b", "aws-ec2"))).isEmpty();
    }

    @Test
    void escapingKeepsEveryCharacterOfARule() {
        assertThat(Rules.escape("a{0,1}$b\\c")).isEqualTo("a\\{0,1\\}\\$b\\\\c");
    }
}
