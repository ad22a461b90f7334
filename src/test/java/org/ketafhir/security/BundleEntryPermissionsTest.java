package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ketafhir.security.BundleEntryPermissions.Needed;
import org.ketafhir.security.SmartScopes.Permission;

class BundleEntryPermissionsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void shouldAskOfEachEntryWhatTheSameRequestAloneWouldNeed() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        entry(bundle, HTTPVerb.POST, "Observation").setResource(new Observation());
        entry(bundle, HTTPVerb.PUT, "Patient/p1").setResource(new Patient());
        entry(bundle, HTTPVerb.PUT, "Observation?identifier=urn:x|1").setResource(new Observation());
        entry(bundle, HTTPVerb.PATCH, "Observation/o1");
        entry(bundle, HTTPVerb.DELETE, "Condition/c1");
        entry(bundle, HTTPVerb.GET, "Observation/o2");
        entry(bundle, HTTPVerb.GET, "Observation/o2/_history/3");
        entry(bundle, HTTPVerb.GET, "Observation?subject=Patient/p1");
        entry(bundle, HTTPVerb.GET, "Encounter/_history");

        assertThat(BundleEntryPermissions.of(FHIR, bundle)).containsExactly(
                new Needed(0, "Observation", Permission.CREATE),
                new Needed(1, "Patient", Permission.UPDATE),
                new Needed(2, "Observation", Permission.UPDATE),
                new Needed(3, "Observation", Permission.UPDATE),
                new Needed(4, "Condition", Permission.DELETE),
                new Needed(5, "Observation", Permission.READ),
                new Needed(6, "Observation", Permission.READ),
                new Needed(7, "Observation", Permission.SEARCH),
                new Needed(8, "Encounter", Permission.SEARCH));
    }

    @Test
    void shouldTakeACreatesTypeFromItsResourceAndLeaveOperationsToTheRules() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
        entry(bundle, HTTPVerb.GET, "Patient/p1/$everything");
        entry(bundle, HTTPVerb.POST, "").setResource(new Patient());

        assertThat(BundleEntryPermissions.of(FHIR, bundle))
                .containsExactly(new Needed(1, "Patient", Permission.CREATE));
        assertThat(BundleEntryPermissions.of(FHIR, bundle).get(0).location()).isEqualTo("Bundle.entry[1]");
    }

    private static Bundle.BundleEntryComponent entry(Bundle bundle, HTTPVerb method, String url) {
        Bundle.BundleEntryComponent entry = bundle.addEntry();
        entry.getRequest().setMethod(method).setUrl(url);
        return entry;
    }
}
