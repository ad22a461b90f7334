package org.ketafhir.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.TestDatabase;

/** The demo clinic loaded through the real server, with profile enforcement, scoring and dosing rules on. */
class DemoClinicIT extends FhirServerTestBase {

    /** Seed 8: its first 8 patients cover the four routes, the four trajectories and the five conditions. */
    private static final long SEED = 8;
    private static final int PATIENTS = 8;
    /**
     * Score Observations per response, from the guide's Questionnaires: PHQ-9 and GAD-7 a total; PCL-5 the total and
     * clusters B, C, D, E; Y-BOCS the total and the obsessions and compulsions subtotals; the C-SSRS screener none
     * (it carries safety rules only).
     */
    private static final Map<String, Integer> SCORES = Map.of(
            "http://ketafhir.org/fhir/Questionnaire/phq-9", 1,
            "http://ketafhir.org/fhir/Questionnaire/gad-7", 1,
            "http://ketafhir.org/fhir/Questionnaire/pcl-5", 5,
            "http://ketafhir.org/fhir/Questionnaire/y-bocs", 3,
            "http://ketafhir.org/fhir/Questionnaire/c-ssrs-screener", 0);

    private final DemoClinic clinic = new DemoClinic(SEED);

    @Test
    void everyPatientShouldLoadAndEveryOutcomeResponseShouldBeScoredByTheServer() {
        assertThat(demo("--patients", String.valueOf(PATIENTS))).isZero();

        for (int n = 1; n <= PATIENTS; n++) {
            assertStoredAsGenerated(clinic.patient(n));
        }
    }

    @Test
    void loadingTheSameClinicTwiceShouldLeaveOneCopy() {
        assertThat(demo("--patients", "2", "--clients", "1")).isZero();
        assertThat(demo("--patients", "2", "--clients", "1")).isZero();

        assertStoredAsGenerated(clinic.patient(1));
        assertStoredAsGenerated(clinic.patient(2));
    }

    @Test
    void aRefusedBundleShouldStopTheLoadWithTheServersMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("--url", baseUrl() + "/NoSuchType", "--patients", "1"));
        TestDatabase.authorizationHeader()
                .ifPresent(header -> args.addAll(List.of("--token", header.substring("Bearer ".length()))));
        int status = DemoCommand.run(args.toArray(String[]::new),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the clinic refused").contains("HTTP 4");
    }

    private int demo(String... extra) {
        List<String> list = new ArrayList<>(List.of("--url", baseUrl(), "--seed", String.valueOf(SEED)));
        // On PostgreSQL the test servers require a token (see TestDatabase): the command sends it as --token.
        TestDatabase.authorizationHeader()
                .ifPresent(header -> list.addAll(List.of("--token", header.substring("Bearer ".length()))));
        list.addAll(List.of(extra));
        String[] args = list.toArray(String[]::new);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DemoCommand.run(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return status;
    }

    /** Every type of the patient's bundle is stored once per entry; Observations also hold the derived scores. */
    private void assertStoredAsGenerated(Bundle bundle) {
        String patient = "Patient/" + bundle.getEntryFirstRep().getResource().getIdElement().getIdPart();
        Map<String, Integer> sent = new TreeMap<>();
        int scores = 0;
        int riskLevels = 0;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            sent.merge(resource.fhirType(), 1, Integer::sum);
            if (resource instanceof QuestionnaireResponse response) {
                scores += SCORES.get(response.getQuestionnaire());
                // a C-SSRS screener with any yes has a risk level (low, moderate or high), stored as LOINC 93374-7
                if (response.getQuestionnaire().endsWith("/c-ssrs-screener") && response.getItem().stream()
                        .anyMatch(item -> item.getAnswerFirstRep().getValue() instanceof Coding c
                                && "LA33-6".equals(c.getCode()))) {
                    riskLevels++;
                }
            }
        }
        assertThat(count("QuestionnaireResponse?subject=" + patient)).isEqualTo(sent.get("QuestionnaireResponse"));
        assertThat(count("MedicationAdministration?subject=" + patient)).isEqualTo(sent.get("MedicationAdministration"));
        assertThat(count("Observation?subject=" + patient + "&_profile=http://ketafhir.org/fhir/StructureDefinition/outcome-score"))
                .as("score Observations of " + patient).isEqualTo(scores);
        assertThat(count("Observation?subject=" + patient + "&code=http://loinc.org%7C93374-7"))
                .as("C-SSRS risk levels of " + patient).isEqualTo(riskLevels);
        assertThat(count("Observation?subject=" + patient)).isEqualTo(sent.get("Observation") + scores + riskLevels);
        assertThat(count("AdverseEvent?subject=" + patient)).isEqualTo(sent.getOrDefault("AdverseEvent", 0));
        assertThat(count("Procedure?subject=" + patient)).isEqualTo(sent.getOrDefault("Procedure", 0));
        assertThat(count("CarePlan?subject=" + patient)).isEqualTo(1);
    }

    private int count(String search) {
        var response = getRaw("/" + search + "&_summary=count");
        assertThat(response.statusCode()).as(search).isEqualTo(200);
        return parse(Bundle.class, response.body()).getTotal();
    }
}
