package org.ketafhir.ig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

/** The guide's package carries its profiles with snapshots, made at build time from the differential sources. */
class GuideSnapshotsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void shouldCarryEveryProfileWithItsSnapshotAndTheSourceDifferentialUnchanged() throws IOException {
        List<StructureDefinition> sources = sources();
        Map<String, StructureDefinition> packaged = GuidePackage.builtIn().resources(StructureDefinition.class).stream()
                .collect(Collectors.toMap(StructureDefinition::getUrl, Function.identity()));
        assertThat(packaged.keySet()).containsExactlyInAnyOrderElementsOf(
                sources.stream().map(StructureDefinition::getUrl).toList());
        for (StructureDefinition source : sources) {
            StructureDefinition inPackage = packaged.get(source.getUrl());
            assertThat(inPackage.getSnapshot().getElement()).as(source.getUrl()).isNotEmpty();
            assertThat(inPackage.getDifferential().equalsDeep(source.getDifferential()))
                    .as("differential of %s as written in fhir-profiles/", source.getUrl()).isTrue();
            assertThat(inPackage.getBaseDefinition()).isEqualTo(source.getBaseDefinition());
        }
    }

    @Test
    void shouldMergeTheDifferentialIntoTheBaseDefinition() throws IOException {
        List<StructureDefinition> sources = sources();
        StructureDefinition session = sources.stream()
                .filter(sd -> sd.getUrl().equals("http://ketafhir.org/fhir/StructureDefinition/dosing-session"))
                .findFirst().orElseThrow();
        StructureDefinition snapshot = new GuideSnapshots(FHIR, sources).withSnapshot(session);

        // dosage: 1.. from the profile, ..1 from R4's MedicationAdministration (dosage 0..1)
        assertThat(element(snapshot, "MedicationAdministration.dosage")).satisfies(e -> {
            assertThat(e.getMin()).isEqualTo(1);
            assertThat(e.getMax()).isEqualTo("1");
            assertThat(e.getMustSupport()).isTrue();
        });
        // note: not in the profile at all, so as R4 has it (0..*), and not must-support
        assertThat(element(snapshot, "MedicationAdministration.note")).satisfies(e -> {
            assertThat(e.getMin()).isZero();
            assertThat(e.getMax()).isEqualTo("*");
            assertThat(e.getMustSupport()).isFalse();
        });
        // every element the profile names is in the snapshot
        assertThat(snapshot.getSnapshot().getElement()).extracting(ElementDefinition::getId)
                .containsAll(session.getDifferential().getElement().stream().map(ElementDefinition::getId).toList());
        assertThat(session.hasSnapshot()).as("the source is left as it was").isFalse();
    }

    @Test
    void shouldRefuseAProfileWhoseBaseIsUnknown() throws IOException {
        StructureDefinition orphan = new StructureDefinition();
        orphan.setUrl("http://ketafhir.org/fhir/StructureDefinition/orphan");
        orphan.setName("Orphan");
        orphan.setType("Observation");
        orphan.setDerivation(StructureDefinition.TypeDerivationRule.CONSTRAINT);
        orphan.setBaseDefinition("http://example.org/fhir/StructureDefinition/not-known-anywhere");
        orphan.getDifferential().addElement().setPath("Observation").setId("Observation");

        assertThatThrownBy(() -> new GuideSnapshots(FHIR, sources()).withSnapshot(orphan))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("No snapshot for http://ketafhir.org/fhir/StructureDefinition/orphan: ")
                .hasMessageContaining("not-known-anywhere");
    }

    private static ElementDefinition element(StructureDefinition sd, String id) {
        return sd.getSnapshot().getElement().stream().filter(e -> e.getId().equals(id)).findFirst().orElseThrow();
    }

    private static List<StructureDefinition> sources() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("fhir-profiles"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("StructureDefinition-")).sorted()
                    .map(p -> {
                        try {
                            return FHIR.newJsonParser().parseResource(StructureDefinition.class,
                                    Files.readString(p, StandardCharsets.UTF_8));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        }
    }
}
