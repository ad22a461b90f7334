package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ketafhir.scoring.OutcomeResponses;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.ServerProcess;
import org.ketafhir.testing.TestDatabase;
import org.ketafhir.testing.VitalSigns;

/**
 * The packaged server used the way a hospital interface engine uses it: requests from the moment its port accepts a
 * connection, with no look at the readiness probe. Every answer must be 503 (with Retry-After and an
 * OperationOutcome) or the answer the ready server gives; never a 500, never a write that skipped a check.
 */
class StartupIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration GIVE_UP = Duration.ofMinutes(4);
    private static final String DOSING_SESSION = "http://ketafhir.org/fhir/StructureDefinition/dosing-session";

    @Test
    void shouldAnswer503OrTheFinalAnswerFromTheMomentThePortOpens() throws Exception {
        String patient = "Patient/startup-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> answers = new ArrayList<>();
        int refusedSessions = 0;
        String scoredResponse = null;

        Map<String, String> database = TestDatabase.fresh("startup");
        try (ServerProcess server = ServerProcess.startAndAwaitPort("startup-fresh", database)) {
            String base = server.baseUrl();
            boolean patientStored = false;
            Instant deadline = Instant.now().plus(GIVE_UP);
            // until the PHQ-9 has been scored and the bad session refused, then two more rounds on the ready server
            for (int extraRounds = 2; extraRounds > 0 && Instant.now().isBefore(deadline); ) {
                if (!patientStored) {
                    HttpResponse<String> put = send("PUT", base + "/" + patient, json(patient(patient)));
                    answers.add("PUT Patient " + put.statusCode());
                    assertStartingOr(put, 200, 201);
                    patientStored = put.statusCode() != 503;
                    continue;
                }
                HttpResponse<String> session = send("POST", base + "/MedicationAdministration",
                        json(sessionWithoutDose(patient)));
                answers.add("POST dosing session without a dose " + session.statusCode());
                assertStartingOr(session, 422);
                if (session.statusCode() == 422) {
                    refusedSessions++;
                    assertThat(session.body()).contains("OperationOutcome").contains("dose");
                }

                Observation pressure = VitalSigns.vital(patient, "85354-9", Instant.parse("2026-09-07T08:50:00Z"));
                pressure.addComponent().setValue(mmHg(128)).getCode().addCoding()
                        .setSystem("http://loinc.org").setCode("8480-6");
                pressure.addComponent().setValue(mmHg(82)).getCode().addCoding()
                        .setSystem("http://loinc.org").setCode("8462-4");
                HttpResponse<String> bp = send("POST", base + "/Observation", json(pressure));
                answers.add("POST blood pressure " + bp.statusCode());
                assertStartingOr(bp, 201);

                // nine answers of "several days" (1 each): the PHQ-9 total is 9 (PHQ-9 manual: sum of items 1-9)
                HttpResponse<String> phq9 = send("POST", base + "/QuestionnaireResponse",
                        json(OutcomeResponses.phq9(patient, "2026-09-07T08:45:00Z", 1, 1, 1, 1, 1, 1, 1, 1, 1)));
                answers.add("POST PHQ-9 " + phq9.statusCode());
                assertStartingOr(phq9, 201);
                if (phq9.statusCode() == 201) {
                    scoredResponse = new IdType(phq9.headers().firstValue("Location").orElseThrow()).getIdPart();
                    HttpResponse<String> total = send("GET",
                            base + "/Observation/score-" + scoredResponse + "-44261-6", null);
                    assertThat(total.statusCode()).as("the score of an accepted PHQ-9").isEqualTo(200);
                    Observation score = (Observation) FHIR.newJsonParser().parseResource(total.body());
                    assertThat(((IntegerType) score.getValue()).getValue()).isEqualTo(9);
                }
                if (scoredResponse != null && refusedSessions > 0) {
                    extraRounds--;
                }
            }
            System.out.printf("StartupIT: %d answers from the moment the port opened, %d of them 503: %s%n",
                    answers.size(), answers.stream().filter(a -> a.endsWith(" 503")).count(), answers);
            assertThat(scoredResponse).as("a PHQ-9 accepted and scored; answers: %s", answers).isNotNull();
            assertThat(refusedSessions).as("the session without a dose refused with 422; answers: %s", answers)
                    .isPositive();

            HttpResponse<String> stored = send("GET", base + "/MedicationAdministration?subject=" + patient
                    + "&_summary=count", null);
            assertThat(((Bundle) FHIR.newJsonParser().parseResource(stored.body())).getTotal())
                    .as("sessions the guide refuses are never stored").isZero();

            HttpResponse<String> metadata = send("GET", base + "/metadata", null);
            CapabilityStatement capabilities = (CapabilityStatement) FHIR.newJsonParser().parseResource(metadata.body());
            assertThat(capabilities.getRestFirstRep().getResource()).filteredOn(r -> r.getType().equals("MedicationAdministration"))
                    .singleElement().satisfies(r -> assertThat(r.getSupportedProfile())
                            .anyMatch(profile -> profile.getValue().equals(DOSING_SESSION)));
        }

        // A new database holds nothing a search parameter could index: installing the guide's search parameters
        // requested no reindex job (HAPI makes one per new SearchParameter otherwise).
        assertThat(reindexJobs(database)).as("reindex jobs after the first start").isZero();
    }

    private static int reindexJobs(Map<String, String> database) throws SQLException {
        try (Connection connection = TestDatabase.connect(database);
                ResultSet count = connection.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM BT2_JOB_INSTANCE WHERE DEFINITION_ID = 'REINDEX'")) {
            count.next();
            return count.getInt(1);
        }
    }

    /** 503 with Retry-After and an OperationOutcome, or one of the statuses the ready server answers. */
    static void assertStartingOr(HttpResponse<String> response, int... ready) {
        if (response.statusCode() == 503) {
            assertThat(response.headers().firstValue("Retry-After")).as("Retry-After on 503").isPresent();
            assertThat(FHIR.newJsonParser().parseResource(response.body())).isInstanceOf(OperationOutcome.class);
            return;
        }
        List<Integer> expected = new ArrayList<>();
        for (int status : ready) {
            expected.add(status);
        }
        assertThat(response.statusCode()).as("%s", response.body()).isIn(expected);
    }

    static HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        FhirServerTestBase.authorized(request);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String json(IBaseResource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    private static Patient patient(String reference) {
        Patient patient = new Patient();
        patient.setId(reference);
        patient.addName().setFamily("Startup").addGiven("Early");
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1980-04-02"));
        return patient;
    }

    /** A profiled IV ketamine session without dosage.dose: the guide's dosing-session profile requires one. */
    private static MedicationAdministration sessionWithoutDose(String patient) {
        MedicationAdministration session = new MedicationAdministration();
        session.getMeta().addProfile(DOSING_SESSION);
        session.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        session.setSubject(new Reference(patient));
        session.getMedicationCodeableConcept().addCoding().setSystem("http://www.nlm.nih.gov/research/umls/rxnorm")
                .setCode("6130");
        Instant start = Instant.parse("2026-09-07T09:00:00Z");
        session.setEffective(new Period().setStart(Date.from(start)).setEnd(Date.from(start.plusSeconds(2400))));
        session.getDosage().getRoute().addCoding().setSystem("http://snomed.info/sct").setCode("47625008");
        return session;
    }

    private static Quantity mmHg(int value) {
        return new Quantity().setValue(new BigDecimal(value)).setUnit("mmHg").setSystem("http://unitsofmeasure.org")
                .setCode("mm[Hg]");
    }

}
