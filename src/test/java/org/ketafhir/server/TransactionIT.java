package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;

/**
 * Transaction and batch Bundles (http.html#transaction): atomicity, reference resolution, conditional
 * operations inside a Bundle, per-entry outcomes of a batch, and concurrent transactions.
 */
class TransactionIT extends FhirServerTestBase {

    private static final String TEST_SYSTEM = "urn:ketafhir:test";
    private static final String LOINC = "http://loinc.org";
    private static final String PHQ9_TOTAL = "44261-6";

    @Test
    void transactionShouldCreateAllEntriesAndResolveUrnUuidReferences() {
        String mrn = unique("mrn");
        Bundle transaction = patientWithObservations(mrn, 2);

        HttpResponse<String> response = postJson("", json(transaction));

        assertThat(response.statusCode()).isEqualTo(200);
        Bundle result = parse(Bundle.class, response.body());
        assertThat(result.getType()).isEqualTo(BundleType.TRANSACTIONRESPONSE);
        assertThat(result.getEntry()).hasSize(3)
                .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
        String patientId = new IdType(result.getEntry().get(0).getResponse().getLocation())
                .toUnqualifiedVersionless().getValue();
        assertThat(patientId).startsWith("Patient/");

        Bundle observations = search("Observation?subject.identifier=" + TEST_SYSTEM + "|" + mrn);
        assertThat(observations.getEntry()).hasSize(2).allSatisfy(e -> {
            Observation observation = (Observation) e.getResource();
            assertThat(observation.getSubject().getReference()).isEqualTo(patientId);
        });
    }

    @Test
    void transactionWithADanglingReferenceShouldFailAndStoreNothing() {
        String mrn = unique("mrn");
        Bundle transaction = patientWithObservations(mrn, 1);
        Observation dangling = observation(new Reference("Patient/" + unique("no-such-patient")), mrn);
        transaction.addEntry().setFullUrl(urn()).setResource(dangling)
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");

        HttpResponse<String> response = postJson("", json(transaction));

        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome outcome = parse(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("no-such-patient");
        assertNothingStoredFor(mrn);
    }

    @Test
    void transactionWithAnInvalidResourceShouldFailAndStoreNothing() {
        String mrn = unique("mrn");
        Bundle transaction = patientWithObservations(mrn, 1);
        // An update to an id that FHIR does not allow (datatypes.html#id: no '_') as the last entry
        Patient invalid = new Patient();
        invalid.addIdentifier().setSystem(TEST_SYSTEM).setValue(mrn);
        invalid.setId("bad_id");
        transaction.addEntry().setFullUrl("Patient/bad_id").setResource(invalid)
                .getRequest().setMethod(HTTPVerb.PUT).setUrl("Patient/bad_id");

        HttpResponse<String> response = postJson("", json(transaction));

        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome outcome = parse(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("bad_id");
        assertNothingStoredFor(mrn);
    }

    @Test
    void conditionalReferenceInATransactionShouldResolveToTheExistingPatient() {
        String mrn = unique("mrn");
        Patient existing = new Patient();
        existing.addIdentifier().setSystem(TEST_SYSTEM).setValue(mrn);
        String existingId = client().create().resource(existing).execute().getId().toUnqualifiedVersionless().getValue();

        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        Observation observation = observation(new Reference("Patient?identifier=" + TEST_SYSTEM + "|" + mrn), mrn);
        transaction.addEntry().setFullUrl(urn()).setResource(observation)
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");

        Bundle result = client().transaction().withBundle(transaction).execute();

        String observationId = new IdType(result.getEntryFirstRep().getResponse().getLocation()).getIdPart();
        Observation stored = client().read().resource(Observation.class).withId(observationId).execute();
        assertThat(stored.getSubject().getReference()).isEqualTo(existingId);
    }

    @Test
    void conditionalCreateInATransactionShouldNotDuplicateThePatient() {
        String mrn = unique("mrn");
        String match = "identifier=" + TEST_SYSTEM + "|" + mrn;

        Bundle first = client().transaction().withBundle(conditionalCreateWithObservation(mrn, match)).execute();
        Bundle second = client().transaction().withBundle(conditionalCreateWithObservation(mrn, match)).execute();

        assertThat(first.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(second.getEntry().get(0).getResponse().getStatus()).startsWith("200");
        String patientId = new IdType(first.getEntry().get(0).getResponse().getLocation())
                .toUnqualifiedVersionless().getValue();
        assertThat(new IdType(second.getEntry().get(0).getResponse().getLocation()).toUnqualifiedVersionless()
                .getValue()).isEqualTo(patientId);

        assertThat(search("Patient?" + match).getEntry()).hasSize(1);
        Bundle observations = search("Observation?subject=" + patientId);
        assertThat(observations.getEntry()).as("both Observations point at the one Patient").hasSize(2);
    }

    @Test
    void batchShouldStoreTheGoodEntriesAndReportTheFailedOneByItself() {
        String goodFirst = unique("mrn");
        String goodLast = unique("mrn");
        String failing = unique("mrn");
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        batch.addEntry().setResource(patient(goodFirst)).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        batch.addEntry().setResource(observation(new Reference("Patient/" + unique("no-such-patient")), failing))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");
        batch.addEntry().setResource(patient(goodLast)).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");

        HttpResponse<String> response = postJson("", json(batch));

        assertThat(response.statusCode()).isEqualTo(200);
        Bundle result = parse(Bundle.class, response.body());
        assertThat(result.getType()).isEqualTo(BundleType.BATCHRESPONSE);
        assertThat(result.getEntry()).extracting(e -> e.getResponse().getStatus().substring(0, 3))
                .containsExactly("201", "400", "201");
        Resource failureOutcome = result.getEntry().get(1).getResponse().getOutcome();
        assertThat(failureOutcome).isInstanceOf(OperationOutcome.class);
        assertThat(((OperationOutcome) failureOutcome).getIssueFirstRep().getDiagnostics()).contains("no-such-patient");

        assertThat(search("Patient?identifier=" + TEST_SYSTEM + "|" + goodFirst).getEntry()).hasSize(1);
        assertThat(search("Patient?identifier=" + TEST_SYSTEM + "|" + goodLast).getEntry()).hasSize(1);
        assertThat(search("Observation?identifier=" + TEST_SYSTEM + "|" + failing).getEntry()).isEmpty();
    }

    @Test
    void concurrentTransactionsShouldAllSucceedAndStoreEverything() throws Exception {
        int bundles = 16;
        List<String> mrns = new ArrayList<>();
        for (int i = 0; i < bundles; i++) {
            mrns.add(unique("mrn"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (String mrn : mrns) {
                String body = json(patientWithObservations(mrn, 2));
                responses.add(pool.submit(() -> postJson("", body)));
            }
            for (int i = 0; i < bundles; i++) {
                HttpResponse<String> response = responses.get(i).get(180, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as("transaction %d answered %s", i, response.body()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        for (String mrn : mrns) {
            assertThat(search("Patient?identifier=" + TEST_SYSTEM + "|" + mrn).getEntry()).hasSize(1);
            assertThat(search("Observation?subject.identifier=" + TEST_SYSTEM + "|" + mrn).getEntry()).hasSize(2);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String urn() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    private static Patient patient(String mrn) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(TEST_SYSTEM).setValue(mrn);
        patient.addName().setFamily("Transaction").addGiven("Kim");
        return patient;
    }

    /** An Observation carrying the test's identifier, so it can be found (or proven absent) afterwards. */
    private static Observation observation(Reference subject, String mrn) {
        Observation observation = new Observation();
        observation.addIdentifier().setSystem(TEST_SYSTEM).setValue(mrn);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem(LOINC).setCode(PHQ9_TOTAL);
        observation.setEffective(new DateTimeType("2024-06-01T09:00:00Z"));
        observation.setSubject(subject);
        return observation;
    }

    private static Bundle patientWithObservations(String mrn, int observations) {
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        String patientUrn = urn();
        transaction.addEntry().setFullUrl(patientUrn).setResource(patient(mrn))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        for (int i = 0; i < observations; i++) {
            transaction.addEntry().setFullUrl(urn()).setResource(observation(new Reference(patientUrn), mrn))
                    .getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");
        }
        return transaction;
    }

    private static Bundle conditionalCreateWithObservation(String mrn, String match) {
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        String patientUrn = urn();
        BundleEntryComponent patientEntry = transaction.addEntry().setFullUrl(patientUrn).setResource(patient(mrn));
        patientEntry.getRequest().setMethod(HTTPVerb.POST).setUrl("Patient").setIfNoneExist(match);
        transaction.addEntry().setFullUrl(urn()).setResource(observation(new Reference(patientUrn), mrn))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");
        return transaction;
    }

    private Bundle search(String relativeUrl) {
        return client().search().byUrl(relativeUrl).returnBundle(Bundle.class).execute();
    }

    private void assertNothingStoredFor(String mrn) {
        assertThat(search("Patient?identifier=" + TEST_SYSTEM + "|" + mrn).getEntry()).isEmpty();
        assertThat(search("Observation?identifier=" + TEST_SYSTEM + "|" + mrn).getEntry()).isEmpty();
    }
}
