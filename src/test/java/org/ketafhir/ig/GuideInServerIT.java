package org.ketafhir.ig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.VitalSigns;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/** The guide as the running server holds it: installed offline at start-up, served, and enforced on write. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuideInServerIT extends FhirServerTestBase {

    private static final Path GUIDE = Path.of("fhir-profiles");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    void storeTheExamplePatientStory() throws IOException {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Path file : jsonFiles(GUIDE.resolve("examples"))) {
            Resource resource = (Resource) FHIR.newJsonParser().parseResource(Files.readString(file));
            transaction.addEntry().setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }
        HttpResponse<String> response = postJson("", json(transaction));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // the dosing rules ask every route for a pre-dose blood pressure: one for the plain sessions below (09:00)
        Observation preDose = VitalSigns.vital("Patient/ketafhir-example-patient", "85354-9", Instant.parse("2026-11-02T08:50:00Z"));
        preDose.addComponent().setValue(new Quantity().setValue(120).setUnit("mmHg").setSystem("http://unitsofmeasure.org")
                .setCode("mm[Hg]")).getCode().addCoding().setSystem("http://loinc.org").setCode("8480-6");
        preDose.addComponent().setValue(new Quantity().setValue(80).setUnit("mmHg").setSystem("http://unitsofmeasure.org")
                .setCode("mm[Hg]")).getCode().addCoding().setSystem("http://loinc.org").setCode("8462-4");
        assertThat(postJson("/Observation", json(preDose)).statusCode()).isEqualTo(201);
    }

    @Autowired
    private List<ApplicationRunner> startUpWork;

    @Autowired
    private ProfileEnforcingInterceptor enforcement;

    @Test
    void shouldWaitForTheValidatorWarmUpAfterTheOtherStartUpWorkNotBeforeIt() {
        // Spring Boot runs its ApplicationRunners in their order, ties in no fixed order: the guide's installation must
        // not wait behind the warm-up, which runs on a thread of its own meanwhile.
        List<ApplicationRunner> ordered = new ArrayList<>(startUpWork);
        AnnotationAwareOrderComparator.sort(ordered);
        assertThat(ordered).hasSizeGreaterThan(1).last().isInstanceOf(ValidatorWarmUp.class);
        assertThat(ordered).filteredOn(ValidatorWarmUp.class::isInstance).hasSize(1);
        assertThat(ordered).anyMatch(GuideInstaller.class::isInstance);
    }

    @Test
    void shouldServeTheGuidesConformanceResources() {
        assertThat(getRaw("/ImplementationGuide/ketafhir").statusCode()).isEqualTo(200);
        for (String search : List.of(
                "/StructureDefinition?url=http://ketafhir.org/fhir/StructureDefinition/dosing-session",
                "/ValueSet?url=http://ketafhir.org/fhir/ValueSet/ketafhir-medications",
                "/CodeSystem?url=http://ketafhir.org/fhir/CodeSystem/ketafhir",
                "/Questionnaire?url=http://ketafhir.org/fhir/Questionnaire/phq-9",
                "/SearchParameter?url=http://ketafhir.org/fhir/SearchParameter/medicationadministration-route",
                "/OperationDefinition?url=http://ketafhir.org/fhir/OperationDefinition/outcome-summary")) {
            Bundle found = parse(Bundle.class, getRaw(search.replace("|", "%7C")).body());
            assertThat(found.getEntry()).as(search).hasSize(1);
        }
    }

    @Test
    void guideSearchParametersShouldBeActive() {
        // the example story has IV sessions (SNOMED 47625008) and one intranasal session (46713006)
        Bundle intravenous = parse(Bundle.class,
                getRaw("/MedicationAdministration?route=http://snomed.info/sct%7C47625008").body());
        assertThat(intravenous.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .contains("ketafhir-example-session-1", "ketafhir-example-session-2")
                .doesNotContain("ketafhir-example-esketamine-session");

        Bundle byPlan = parse(Bundle.class, getRaw(
                "/MedicationAdministration?treatment-plan=CarePlan/ketafhir-example-treatment-plan").body());
        assertThat(byPlan.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .contains("ketafhir-example-session-1");
    }

    @Test
    void capabilityStatementShouldNameTheSupportedProfiles() {
        CapabilityStatement capabilities = parse(CapabilityStatement.class, getRaw("/metadata").body());
        Map<String, List<String>> profiles = new java.util.HashMap<>();
        capabilities.getRestFirstRep().getResource().forEach(r -> profiles.put(r.getType(),
                r.getSupportedProfile().stream().map(p -> p.getValue()).toList()));
        assertThat(profiles.get("MedicationAdministration"))
                .contains("http://ketafhir.org/fhir/StructureDefinition/dosing-session");
        assertThat(profiles.get("QuestionnaireResponse"))
                .contains("http://ketafhir.org/fhir/StructureDefinition/outcome-questionnaire-response");
        assertThat(profiles.get("Observation")).contains(
                "http://ketafhir.org/fhir/StructureDefinition/outcome-score",
                "http://ketafhir.org/fhir/StructureDefinition/session-vital-signs");
    }

    /** Each negative example of the guide is refused with 422 naming its error, and nothing is stored. */
    @TestFactory
    Stream<DynamicTest> shouldRefuseEveryNegativeExampleWithItsNamedError() throws IOException {
        JsonNode expected = JSON.readTree(GUIDE.resolve("invalid/expected-errors.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        expected.fieldNames().forEachRemaining(file -> tests.add(DynamicTest.dynamicTest(file, () -> {
            ObjectNode resource = (ObjectNode) JSON.readTree(GUIDE.resolve("invalid").resolve(file).toFile());
            String type = resource.get("resourceType").asText();
            String id = "negative-" + resource.get("id").asText();
            resource.put("id", id);
            HttpResponse<String> response = putJson("/" + type + "/" + id, resource.toString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
            OperationOutcome outcome = parse(OperationOutcome.class, response.body());
            assertThat(outcome.getIssue()).anySatisfy(issue ->
                    assertThat(issue.getDiagnostics()).contains(expected.get(file).asText()));
            assertThat(getRaw("/" + type + "/" + id).statusCode()).isEqualTo(404);
        })));
        return tests.stream();
    }

    @Test
    void aKetamineDosingSessionShouldBeCheckedEvenWithoutADeclaredProfile() {
        MedicationAdministration session = plainSession("6130"); // RxNorm ketamine
        session.getDosage().setRoute(null);
        HttpResponse<String> refused = postJson("/MedicationAdministration", json(session));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(parse(OperationOutcome.class, refused.body()).getIssue())
                .anySatisfy(issue -> assertThat(issue.getDiagnostics())
                        .contains("MedicationAdministration.dosage.route: minimum required = 1"));

        MedicationAdministration withRoute = plainSession("6130");
        assertThat(postJson("/MedicationAdministration", json(withRoute)).statusCode()).isEqualTo(201);
    }

    @Test
    void otherRecordsShouldBeStoredAsPlainFhir() {
        MedicationAdministration sertraline = plainSession("36437"); // RxNorm sertraline: not a dosing session
        sertraline.getDosage().setRoute(null);
        assertThat(postJson("/MedicationAdministration", json(sertraline)).statusCode()).isEqualTo(201);

        Patient patient = new Patient();
        patient.getMeta().addProfile("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
        patient.addName().setFamily("FromAnotherHospital");
        assertThat(postJson("/Patient", json(patient)).statusCode()).isEqualTo(201);
    }

    @Test
    void aTransactionWithOneRefusedEntryShouldStoreNothing() {
        String marker = unique("rollback");
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:ketafhir:test").setValue(marker);
        MedicationAdministration invalid = plainSession("6130");
        invalid.getDosage().setDose(null);
        invalid.setSubject(new org.hl7.fhir.r4.model.Reference("urn:uuid:patient-" + marker));

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl("urn:uuid:patient-" + marker).setResource(patient)
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        transaction.addEntry().setResource(invalid)
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");

        assertThat(postJson("", json(transaction)).statusCode()).isEqualTo(422);
        Bundle found = parse(Bundle.class, getRaw("/Patient?identifier=urn:ketafhir:test%7C" + marker).body());
        assertThat(found.getEntry()).isEmpty();
    }

    @Test
    void aTransactionsEntriesShouldBeCheckedOnceEachBeforeItsDatabaseTransaction() {
        String marker = unique("checked-before");
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl("urn:uuid:patient-" + marker).setResource(new Patient()
                        .addIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem("urn:ketafhir:test").setValue(marker)))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        for (int i = 0; i < 3; i++) {
            MedicationAdministration session = plainSession("6130");
            session.addIdentifier().setSystem("urn:ketafhir:test").setValue(marker + "-" + i);
            transaction.addEntry().setFullUrl("urn:uuid:session-" + marker + "-" + i).setResource(session)
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        }
        long validationsBefore = enforcement.validations();
        long reusedBefore = enforcement.reusedChecks();

        HttpResponse<String> response = postJson("", json(transaction));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // the three sessions are profiled (the Patient is plain R4): each validated once, before the transaction,
        // and that result used when it was stored
        assertThat(enforcement.validations() - validationsBefore).isEqualTo(3);
        assertThat(enforcement.reusedChecks() - reusedBefore).isEqualTo(3);
    }

    @Test
    void aRefusedTransactionEntryShouldGetTheFindingsItGetsWhenPostedAlone() {
        MedicationAdministration invalid = plainSession("6130");
        invalid.getDosage().setDose(null);
        HttpResponse<String> alone = postJson("/MedicationAdministration", json(invalid));

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(plainSession("6130"))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        transaction.addEntry().setResource(invalid)
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        HttpResponse<String> inTransaction = postJson("", json(transaction));

        assertThat(alone.statusCode()).isEqualTo(422);
        assertThat(inTransaction.statusCode()).as(inTransaction.body()).isEqualTo(422);
        List<String> findingsAlone = parse(OperationOutcome.class, alone.body()).getIssue().stream()
                .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics).toList();
        assertThat(findingsAlone).anySatisfy(finding -> assertThat(finding).contains("dose"));
        assertThat(parse(OperationOutcome.class, inTransaction.body()).getIssue())
                .extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .containsAll(findingsAlone);
    }

    @Test
    void aConditionalCreateThatMatchesAStoredRecordShouldNotBeRefusedForTheBodyItDoesNotStore() {
        String marker = unique("conditional");
        MedicationAdministration stored = plainSession("6130");
        stored.addIdentifier().setSystem("urn:ketafhir:test").setValue(marker);
        HttpResponse<String> created = postJson("/MedicationAdministration", json(stored));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        MedicationAdministration withoutDose = plainSession("6130");
        withoutDose.addIdentifier().setSystem("urn:ketafhir:test").setValue(marker);
        withoutDose.getDosage().setDose(null);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(withoutDose).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl("MedicationAdministration").setIfNoneExist("identifier=urn:ketafhir:test|" + marker);
        HttpResponse<String> response = postJson("", json(transaction));

        // as HAPI stores nothing for a conditional create that matches, nothing of this body is checked
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle answer = parse(Bundle.class, response.body());
        assertThat(answer.getEntryFirstRep().getResponse().getStatus()).startsWith("200");
        Bundle found = parse(Bundle.class,
                getRaw("/MedicationAdministration?identifier=urn:ketafhir:test%7C" + marker).body());
        assertThat(found.getEntry()).hasSize(1);
        assertThat(((MedicationAdministration) found.getEntryFirstRep().getResource()).getDosage().hasDose()).isTrue();
    }

    /** {@code $validate} with a {@code profile} parameter works for every profile, on its valid example. */
    @TestFactory
    Stream<DynamicTest> validateShouldAcceptEachValidExampleAgainstItsProfile() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : jsonFiles(GUIDE.resolve("examples"))) {
            Resource resource = (Resource) FHIR.newJsonParser().parseResource(Files.readString(file));
            resource.getMeta().getProfile().forEach(profile -> tests.add(DynamicTest.dynamicTest(
                    file.getFileName() + " against " + profile.getValue(), () -> {
                        HttpResponse<String> response = postJson("/" + resource.fhirType()
                                + "/$validate?profile=" + profile.getValue(), json(resource));
                        OperationOutcome outcome = parse(OperationOutcome.class, response.body());
                        assertThat(outcome.getIssue()).as(response.body()).noneMatch(issue ->
                                issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                                        || issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
                    })));
        }
        return tests.stream();
    }

    private static MedicationAdministration plainSession(String rxNormCode) {
        MedicationAdministration session = new MedicationAdministration();
        session.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        session.getMedicationCodeableConcept().addCoding()
                .setSystem("http://www.nlm.nih.gov/research/umls/rxnorm").setCode(rxNormCode);
        session.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/ketafhir-example-patient"));
        session.setEffective(new org.hl7.fhir.r4.model.DateTimeType("2026-11-02T09:00:00Z"));
        // intramuscular: the dosing rules ask no weight for it, and its blood pressure is stored before the tests, so
        // these tests see the profile alone
        session.getDosage().getRoute().addCoding().setSystem("http://snomed.info/sct").setCode("78421000");
        session.getDosage().getDose().setValue(35).setUnit("mg")
                .setSystem("http://unitsofmeasure.org").setCode("mg");
        return session;
    }

    private static List<Path> jsonFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }
}
