package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.VitalSigns;

/**
 * A clinician's app repeats the same search right after a write: the repeat must show the write (HAPI's default
 * answered an identical search from its stored result for 60 s). Paging through one result set still works.
 */
class ReadYourWritesIT extends FhirServerTestBase {

    private static final String WEIGHT = "29463-7";

    @Test
    void shouldShowAWriteInTheSameSearchRepeatedRightAfterIt() {
        String patient = createPatient();
        String search = "Observation?subject=" + patient + "&code=http://loinc.org|" + WEIGHT;
        create(VitalSigns.vital(patient, WEIGHT, Instant.parse("2026-09-01T09:00:00Z")));
        assertThat(entries(search)).isEqualTo(1);
        assertThat(count(search)).isEqualTo(1);

        create(VitalSigns.vital(patient, WEIGHT, Instant.parse("2026-09-08T09:00:00Z")));

        assertThat(entries(search)).as("the same search right after the write").isEqualTo(2);
        assertThat(count(search)).as("the same count right after the write").isEqualTo(2);
    }

    @Test
    void shouldNoLongerFindADeletedResourceInTheSameSearch() {
        String patient = createPatient();
        String search = "Observation?subject=" + patient;
        String observation = create(VitalSigns.vital(patient, WEIGHT, Instant.parse("2026-09-01T09:00:00Z")));
        assertThat(entries(search)).isEqualTo(1);

        client().delete().resourceById(new org.hl7.fhir.r4.model.IdType(observation)).execute();

        assertThat(entries(search)).isZero();
    }

    @Test
    void shouldPageThroughEveryResultOfOneSearch() {
        String patient = createPatient();
        for (int day = 1; day <= 25; day++) {
            create(VitalSigns.vital(patient, WEIGHT, Instant.parse("2026-09-01T09:00:00Z").plusSeconds(86_400L * day)));
        }
        Bundle page = client().search().byUrl("Observation?subject=" + patient + "&_count=10&_sort=date")
                .returnBundle(Bundle.class).execute();
        Set<String> seen = new HashSet<>();
        int pages = 0;
        while (page != null) {
            pages++;
            page.getEntry().forEach(entry -> seen.add(entry.getResource().getIdElement().getIdPart()));
            page = page.getLink(Bundle.LINK_NEXT) == null ? null : client().loadPage().next(page).execute();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25);
    }

    private String createPatient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:ketafhir:read-your-writes").setValue(unique("p"));
        return create(patient);
    }

    private String create(org.hl7.fhir.r4.model.Resource resource) {
        return client().create().resource(resource).execute().getId().toUnqualifiedVersionless().getValue();
    }

    private int entries(String search) {
        return client().search().byUrl(search).returnBundle(Bundle.class).execute().getEntry().size();
    }

    private int count(String search) {
        return client().search().byUrl(search + "&_summary=count").returnBundle(Bundle.class).execute().getTotal();
    }
}
