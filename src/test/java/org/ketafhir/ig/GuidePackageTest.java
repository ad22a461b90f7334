package org.ketafhir.ig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;

/** The guide's package as the server reads it: the one source of the code lists and instruments it acts on. */
class GuidePackageTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void shouldHoldEveryConformanceResourceOfTheGuideFolder() throws IOException {
        GuidePackage guide = GuidePackage.builtIn();
        assertThat(guide).hasToString("ketafhir.ig#0.1.0");
        try (Stream<Path> files = Files.list(Path.of("fhir-profiles"))) {
            List<String> questionnaires = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("Questionnaire-"))
                    .map(name -> name.substring("Questionnaire-".length(), name.length() - ".json".length()))
                    .sorted()
                    .toList();
            assertThat(guide.resources(Questionnaire.class)).extracting(q -> q.getIdPart())
                    .containsExactlyElementsOf(questionnaires);
        }
        assertThat(guide.resource(ValueSet.class, "ketafhir-routes").getUrl())
                .isEqualTo("http://ketafhir.org/fhir/ValueSet/ketafhir-routes");
    }

    @Test
    void shouldHandOutCopiesSoThatNoReaderChangesTheGuideForTheOthers() {
        GuidePackage guide = GuidePackage.builtIn();
        guide.resource(ValueSet.class, "ketafhir-medications").getCompose().getInclude().clear();
        assertThat(GuideValueSets.enumerated(guide, "ketafhir-medications")).isNotEmpty();
    }

    @Test
    void shouldNameWhatIsMissing() {
        assertThatThrownBy(() -> GuidePackage.builtIn().resource(ValueSet.class, "no-such-value-set"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The implementation guide ketafhir.ig#0.1.0 holds no ValueSet/no-such-value-set");
        assertThatThrownBy(() -> GuidePackage.read(FHIR, new ByteArrayResource(new byte[] {1, 2, 3}, "a broken file")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("The implementation guide package Byte array resource [a broken file] cannot be read");
    }

    /** An operator's own build of the guide (ketafhir.ig.package-resource): its codes are the ones acted on. */
    @Test
    void shouldReadTheCodeListsOfTheConfiguredPackage() throws IOException {
        ValueSet medications = GuidePackage.builtIn().resource(ValueSet.class, "ketafhir-medications");
        medications.getCompose().getIncludeFirstRep().addConcept().setCode("999999").setDisplay("a clinic's own code");
        GuidePackage local = GuidePackage.read(FHIR, new ByteArrayResource(tgz(
                "package/package.json", "{\"name\":\"clinic.ig\",\"version\":\"1.0.0\",\"fhirVersions\":[\"4.0.1\"]}",
                "package/ValueSet-ketafhir-medications.json", FHIR.newJsonParser().encodeResourceToString(medications))));

        assertThat(local).hasToString("clinic.ig#1.0.0");
        assertThat(GuideValueSets.enumerated(local, "ketafhir-medications"))
                .containsEntry(medications.getCompose().getIncludeFirstRep().getSystem() + "|999999", "a clinic's own code");
        assertThat(GuideValueSets.enumerated(GuidePackage.builtIn(), "ketafhir-medications"))
                .doesNotContainValue("a clinic's own code");
    }

    private static byte[] tgz(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(namesAndContents[i]);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
