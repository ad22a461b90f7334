package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ketafhir.security.SmartScopes.Context;
import org.ketafhir.security.SmartScopes.Grant;
import org.ketafhir.security.SmartScopes.Permission;

class SmartScopesTest {

    private static final Set<Context> ALL = EnumSet.allOf(Context.class);

    @Test
    void shouldReadV2LettersAsTheirPermissions() {
        SmartScopes scopes = SmartScopes.parse("patient/Observation.rs user/*.cruds system/Patient.c");

        assertThat(scopes.grants()).containsExactly(
                new Grant(Context.PATIENT, "Observation", EnumSet.of(Permission.READ, Permission.SEARCH)),
                new Grant(Context.USER, "*", EnumSet.allOf(Permission.class)),
                new Grant(Context.SYSTEM, "Patient", EnumSet.of(Permission.CREATE)));
    }

    @Test
    void shouldReadV1ReadAsReadAndSearchAndWriteAsCreateUpdateDelete() {
        SmartScopes scopes = SmartScopes.parse("patient/*.read user/Observation.write system/*.*");

        assertThat(scopes.grants()).containsExactly(
                new Grant(Context.PATIENT, "*", EnumSet.of(Permission.READ, Permission.SEARCH)),
                new Grant(Context.USER, "Observation", EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE)),
                new Grant(Context.SYSTEM, "*", EnumSet.allOf(Permission.class)));
    }

    @Test
    void shouldGrantNothingForNonClinicalMalformedOrQueryNarrowedScopes() {
        SmartScopes scopes = SmartScopes.parse("openid fhirUser launch launch/patient offline_access "
                + "patient/Observation.sr patient/Observation.rr patient/Observation.x user/observation.rs "
                + "system/*.rs?category=vital-signs admin/*.rs patient/*. *.* patient/Observation");

        assertThat(scopes.grants()).isEmpty();
        assertThat(scopes.isEmpty()).isTrue();
    }

    @Test
    void shouldTellWhetherATypeAndPermissionArePermittedInTheGivenContexts() {
        SmartScopes scopes = SmartScopes.parse("patient/Observation.rs user/Patient.r");

        assertThat(scopes.permits("Observation", Permission.SEARCH, ALL)).isTrue();
        assertThat(scopes.permits("Observation", Permission.SEARCH, EnumSet.of(Context.USER, Context.SYSTEM))).isFalse();
        assertThat(scopes.permits("Observation", Permission.CREATE, ALL)).isFalse();
        assertThat(scopes.permits("Patient", Permission.READ, EnumSet.of(Context.USER))).isTrue();
        assertThat(scopes.permits("Patient", Permission.SEARCH, ALL)).isFalse();
        assertThat(scopes.permitsAllTypes(Permission.READ, ALL)).isFalse();
    }

    @Test
    void shouldAcceptTheScopeListFormOfTheClaim() {
        SmartScopes scopes = SmartScopes.parse(List.of("system/*.rs", "openid"));

        assertThat(scopes.permitsAllTypes(Permission.READ, EnumSet.of(Context.SYSTEM))).isTrue();
        assertThat(scopes.permitsAllTypes(Permission.UPDATE, EnumSet.of(Context.SYSTEM))).isFalse();
    }

    @Test
    void shouldGrantNothingForAnEmptyOrMissingClaim() {
        assertThat(SmartScopes.parse((String) null).grants()).isEmpty();
        assertThat(SmartScopes.parse("   ").grants()).isEmpty();
    }
}
