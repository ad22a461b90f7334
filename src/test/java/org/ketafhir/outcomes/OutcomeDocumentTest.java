package org.ketafhir.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * The outcome document is a valid R4 document: absolute fullUrls (a stored resource by its URL on this server, a
 * generated one by urn:uuid), the Composition first, identifier and timestamp set, checked by HAPI's validator against
 * the R4 base alone (bdl-7, bdl-9, bdl-10, bdl-11 and the rule that a fullUrl is an absolute URL or a URN), on the
 * document as the server encodes it (its parser relativizes reference strings on its own base). The Composition has a
 * urn:uuid fullUrl, so it must cite by absolute URL: a relative reference from it resolves to nothing (R4 2.36.4.1).
 */
class OutcomeDocumentTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String BASE = "https://clinic.example/fhir";
    private static final OutcomeCodes CODES = new OutcomeCodes(Set.of(), Set.of(), Set.of(), Set.of(), Course.SI_ITEM, Map.of());

    private final PatientOutcomeProcessor processor =
            new PatientOutcomeProcessor(PatientOutcomeProcessorTest.INSTRUMENTS, OutcomeDefaults.rules());

    @Test
    void shouldWriteAValidDocumentWithAbsoluteFullUrls() {
        Bundle document = document();
        assertThat(document.getEntry()).allSatisfy(e -> assertThat(e.getFullUrl()).matches("(https://clinic\\.example/fhir/|urn:uuid:).+"));
        // Composition and Device are generated: urn:uuid, matching their ids. The rest are stored: base + type/id.
        String compositionUrl = document.getEntry().get(0).getFullUrl();
        assertThat(compositionUrl).startsWith("urn:uuid:");
        assertThat(compositionUrl).endsWith(document.getEntry().get(0).getResource().getIdElement().getIdPart());
        assertThat(document.getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl)
                .contains(BASE + "/Patient/responder", BASE + "/MedicationAdministration/responder-s1")
                .doesNotHaveDuplicates();
        // The Composition cites by the same absolute URLs, so each reference is an entry of the Bundle.
        Composition composition = (Composition) document.getEntryFirstRep().getResource();
        List<String> fullUrls = document.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).toList();
        assertThat(composition.getSubject().getReference()).isEqualTo(BASE + "/Patient/responder");
        composition.getSection().forEach(s -> s.getEntry().forEach(r -> assertThat(fullUrls).contains(r.getReference())));
        assertThat(errors(document)).isEmpty();
    }

    @Test
    void shouldHaveTheValidatorRefuseRelativeFullUrls() {
        // The check above would catch the old document: a relative fullUrl (Patient/responder) is an R4 error.
        Bundle document = document();
        document.getEntry().stream().filter(e -> e.getFullUrl().startsWith(BASE))
                .forEach(e -> e.setFullUrl(e.getFullUrl().substring(BASE.length() + 1)));
        assertThat(errors(document)).isNotEmpty().anySatisfy(message -> assertThat(message).containsIgnoringCase("fullUrl"));
    }

    private Bundle document() {
        Course course = Cases.responderRemittingAtSession4();
        // The hand-built scores name "Resource/..."; as stored, they are Observations.
        List<OutcomeFact> facts = course.facts().stream().map(f -> f.kind() == FactKind.SCORE
                ? new OutcomeFact(f.kind(), f.patientId(), f.courseId(), f.code(), f.at(), f.end(), f.value1(), f.value2(),
                        f.ref(), f.status(), f.source().replace("Resource/", "Observation/"))
                : f).toList();
        PatientOutcome outcome = processor.summarise(course.patient(), facts, null, null, null, Set.of());
        Map<String, OutcomeFact> byScore = new java.util.HashMap<>();
        facts.stream().filter(f -> f.kind() == FactKind.SCORE).forEach(f -> byScore.put(f.source(), f));
        Bundle written = new OutcomeDocument(CODES).write(outcome, Instant.parse("2026-06-01T12:00:00Z"), BASE + "/",
                reference -> stored(reference, byScore));
        // As the server sends it: its parser writes a reference string on its own base as a relative one.
        ca.uhn.fhir.parser.IParser parser = FHIR.newJsonParser().setServerBaseUrl(BASE);
        return parser.parseResource(Bundle.class, parser.encodeResourceToString(written));
    }

    /** The resources a FHIR server would return for the references the document cites: minimal valid R4. */
    private static IBaseResource stored(String reference, Map<String, OutcomeFact> scores) {
        IdType id = new IdType(reference);
        switch (id.getResourceType()) {
            case "Patient" -> {
                Patient patient = new Patient();
                patient.setId(id);
                patient.addName().setFamily("Responder");
                return patient;
            }
            case "MedicationAdministration" -> {
                MedicationAdministration session = new MedicationAdministration();
                session.setId(id);
                session.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
                session.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "6130", "ketamine")));
                session.setSubject(new Reference("Patient/responder"));
                session.setEffective(new DateTimeType(Date.from(Course.DAY_0)));
                return session;
            }
            case "Observation" -> {
                OutcomeFact score = scores.get(reference);
                Observation observation = new Observation();
                observation.setId(id);
                observation.setStatus(Observation.ObservationStatus.FINAL);
                observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "44261-6", "PHQ-9 total score")));
                observation.setSubject(new Reference("Patient/responder"));
                observation.setEffective(new DateTimeType(Date.from(score.at())));
                observation.setValue(new IntegerType((int) Math.round(score.value1())));
                return observation;
            }
            default -> throw new AssertionError("the document cites " + reference);
        }
    }

    private static List<String> errors(Bundle document) {
        ValidationSupportChain support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new SnapshotGeneratingValidationSupport(FHIR));
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
        return validator.validateWithResult(document).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(SingleValidationMessage::toString)
                .toList();
    }
}
