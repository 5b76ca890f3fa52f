package io.maestro.client.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopesTest {

    @Test
    void aScopeAllowsItsOwnVerbOnEveryNameAndNothingElse() {
        Scopes.Scope scope = Scopes.parse("registry:register");
        assertThat(scope.allows("registry:register", "payments.api")).isTrue();
        assertThat(scope.allows("registry:register", null)).isTrue();
        assertThat(scope.allows("registry:read", "payments.api")).isFalse();
        assertThat(scope.allows("election:campaign", "payments.api")).isFalse();
    }

    @Test
    void aNarrowedScopeAllowsOnlyTheNamesItsGlobMatchesAndNoOperationOverEveryName() {
        Scopes.Scope scope = Scopes.parse("registry:register:payments.*");
        assertThat(scope.allows("registry:register", "payments.api")).isTrue();
        assertThat(scope.allows("registry:register", "payments.")).isTrue();
        assertThat(scope.allows("registry:register", "payment.api")).isFalse();
        assertThat(scope.allows("registry:register", "billing")).isFalse();
        assertThat(scope.allows("registry:register", null)).as("a list of every service").isFalse();
        assertThat(Scopes.allowsSomeName(List.of(scope), "registry:register")).isTrue();
    }

    @Test
    void adminAllowsEverything() {
        Scopes.Scope admin = Scopes.parse("admin");
        assertThat(admin.allows("provisioner:destroy", "prod")).isTrue();
        assertThat(admin.allows("metrics:read", null)).isTrue();
    }

    @Test
    void globsMatchAnyRunOfCharactersWhereTheyHaveAStar() {
        assertThat(Scopes.matches("billing-*", "billing-eu")).isTrue();
        assertThat(Scopes.matches("*-staging", "web-staging")).isTrue();
        assertThat(Scopes.matches("a*b*c", "axxbyyc")).isTrue();
        assertThat(Scopes.matches("a*b*c", "axxbyy")).isFalse();
        assertThat(Scopes.matches("*", "")).isTrue();
        assertThat(Scopes.matches("exact", "exact")).isTrue();
        assertThat(Scopes.matches("exact", "exactly")).isFalse();
        assertThat(Scopes.matches("staging-*", "prod-1")).isFalse();
    }

    @Test
    void anUnknownScopeOrABadGlobIsRefusedWithTheRule() {
        assertThatThrownBy(() -> Scopes.parse("registry:rgister")).hasMessageContaining("unknown scope 'registry:rgister'")
                .hasMessageContaining("registry:register");
        assertThatThrownBy(() -> Scopes.parse("registry")).hasMessageContaining("<service>:<verb>");
        assertThatThrownBy(() -> Scopes.parse("registry:read:a b")).hasMessageContaining("name glob");
        assertThatThrownBy(() -> Scopes.parse("")).hasMessageContaining("empty");
    }

    @Test
    void aServiceIgnoresScopesItDoesNotKnowInsteadOfRefusingTheToken() {
        assertThat(Scopes.lenient(List.of("registry:read", "future:thing", "admin"))).extracting(Scopes.Scope::toString)
                .containsExactly("registry:read", "admin");
    }
}
