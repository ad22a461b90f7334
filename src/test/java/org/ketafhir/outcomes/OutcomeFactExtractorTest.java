package org.ketafhir.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.MedicationCodes;
import org.ketafhir.scoring.ScoredStatuses;
import org.ketafhir.ig.GuidePackage;

/** What the outcome index takes from plain R4 resources, whether this server derived them or another system sent them. */
class OutcomeFactExtractorTest {

    private final OutcomeFactExtractor extractor = new OutcomeFactExtractor(PatientOutcomeProcessorTest.INSTRUMENTS,
            MedicationCodes.fromGuide(GuidePackage.builtIn()), OutcomeCodes.fromGuide(GuidePackage.builtIn(), "http://loinc.org|44260-8"),
            new ScoredStatuses(Set.of("completed", "amended")));

    private static Observation observation(String system, String code) {
        Observation observation = new Observation();
        observation.setId("Observation/o1");
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setSubject(new Reference("Patient/p1"));
        observation.setEffective(new DateTimeType("2026-01-05T10:00:00Z"));
        observation.getCode().addCoding(new Coding(system, code, null));
        return observation;
    }

    @Test
    void shouldIndexAPhq9TotalSentByAnotherSystem() {
        Observation total = observation("http://loinc.org", "44261-6").setValue(new IntegerType(17));
        List<OutcomeFact> facts = extractor.extract(total);
        assertThat(facts).singleElement().satisfies(fact -> {
            assertThat(fact.kind()).isEqualTo(FactKind.SCORE);
            assertThat(fact.patientId()).isEqualTo("p1");
            assertThat(fact.code()).isEqualTo("http://loinc.org|44261-6");
            assertThat(fact.value1()).isEqualTo(17.0);
        });
    }

    @Test
    void shouldMarkAScoreTimedOnlyByADateAndPutItAtTheStartOfThatDay() {
        Observation total = observation("http://loinc.org", "44261-6").setValue(new IntegerType(9));
        total.setEffective(new DateTimeType("2026-01-06"));
        // 2026-01-06 with no time: 00:00 UTC of that day, whatever the server's time zone, marked date-only.
        assertThat(extractor.extract(total)).singleElement().satisfies(fact -> {
            assertThat(fact.at()).isEqualTo(java.time.Instant.parse("2026-01-06T00:00:00Z"));
            assertThat(fact.status()).isEqualTo(OutcomeFact.DATE_ONLY);
        });
        // A time to the minute is not date-only.
        assertThat(extractor.extract(observation("http://loinc.org", "44261-6").setValue(new IntegerType(9))))
                .singleElement().satisfies(fact -> assertThat(fact.status()).isNull());
    }

    @Test
    void shouldIgnoreAScoreEnteredInError() {
        Observation total = observation("http://loinc.org", "44261-6").setValue(new IntegerType(17));
        total.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
        assertThat(extractor.extract(total)).isEmpty();
    }

    @Test
    void shouldReadTheSuicidalIdeationItemFromALoincAnswerCode() {
        // LA6569-3 "Several days" weighs 1 in the PHQ-9.
        Observation item9 = observation("http://loinc.org", "44260-8")
                .setValue(new CodeableConcept(new Coding("http://loinc.org", "LA6569-3", "Several days")));
        assertThat(extractor.extract(item9)).singleElement().satisfies(fact -> {
            assertThat(fact.kind()).isEqualTo(FactKind.SUICIDAL_IDEATION);
            assertThat(fact.value1()).isEqualTo(1.0);
        });
    }

    @Test
    void shouldReadTheSuicidalIdeationItemOfAPhq9Response() {
        QuestionnaireResponse response = phq9Item9(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED, 3);
        assertThat(extractor.extract(response)).singleElement().satisfies(fact -> {
            assertThat(fact.kind()).isEqualTo(FactKind.SUICIDAL_IDEATION);
            assertThat(fact.value1()).isEqualTo(3.0);
        });
    }

    @Test
    void shouldReadTheAnswersOfAResponseOnlyInAStatusThatIsScored() {
        QuestionnaireResponse response = phq9Item9(QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS, 2);
        assertThat(extractor.extract(response)).isEmpty();

        // ketafhir.scoring.scored-statuses naming in-progress makes its answers count here too
        OutcomeFactExtractor withInProgress = new OutcomeFactExtractor(PatientOutcomeProcessorTest.INSTRUMENTS,
                MedicationCodes.fromGuide(GuidePackage.builtIn()), OutcomeCodes.fromGuide(GuidePackage.builtIn(), "http://loinc.org|44260-8"),
                new ScoredStatuses(Set.of("completed", "amended", "in-progress")));
        assertThat(withInProgress.extract(response)).singleElement()
                .satisfies(fact -> assertThat(fact.value1()).isEqualTo(2.0));
    }

    /** A PHQ-9 response of patient p1 answering only item 9 (LOINC 44260-8). */
    private static QuestionnaireResponse phq9Item9(QuestionnaireResponse.QuestionnaireResponseStatus status, int item9) {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setId("QuestionnaireResponse/r1");
        response.setStatus(status);
        response.setQuestionnaire("http://loinc.org/q/44249-1");
        response.setSubject(new Reference("Patient/p1"));
        response.setAuthoredElement(new DateTimeType("2026-01-05T10:00:00Z"));
        response.addItem().setLinkId("/44260-8").addAnswer().setValue(new IntegerType(item9));
        return response;
    }

    @Test
    void shouldIndexABloodPressurePanelOfASession() {
        Observation panel = observation("http://loinc.org", "85354-9");
        panel.addPartOf(new Reference("MedicationAdministration/s1"));
        panel.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", null)))
                .setValue(new Quantity(148).setUnit("mm[Hg]"));
        panel.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "8462-4", null)))
                .setValue(new Quantity(91).setUnit("mm[Hg]"));
        assertThat(extractor.extract(panel)).singleElement().satisfies(fact -> {
            assertThat(fact.kind()).isEqualTo(FactKind.BLOOD_PRESSURE);
            assertThat(fact.value1()).isEqualTo(148.0);
            assertThat(fact.value2()).isEqualTo(91.0);
            assertThat(fact.ref()).isEqualTo("s1");
        });
    }

    @Test
    void shouldIndexKetamineSessionsOnly() {
        MedicationAdministration session = new MedicationAdministration();
        session.setId("MedicationAdministration/s1");
        session.setStatus(MedicationAdministration.MedicationAdministrationStatus.STOPPED);
        session.setSubject(new Reference("Patient/p1"));
        session.setEffective(new DateTimeType("2026-01-05T09:00:00Z"));
        session.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "6130", "ketamine")));
        session.getDosage().setRoute(new CodeableConcept(new Coding("http://snomed.info/sct", "78421000", null)))
                .setDose((org.hl7.fhir.r4.model.SimpleQuantity) new org.hl7.fhir.r4.model.SimpleQuantity().setValue(0.05).setCode("g"));
        session.addExtension(OutcomeFactExtractor.TREATMENT_PLAN_EXTENSION, new Reference("CarePlan/c1"));
        assertThat(extractor.extract(session)).singleElement().satisfies(fact -> {
            assertThat(fact.kind()).isEqualTo(FactKind.SESSION);
            assertThat(fact.code()).isEqualTo("http://snomed.info/sct|78421000");
            // 0.05 g = 50 mg.
            assertThat(fact.value1()).isEqualTo(50.0);
            assertThat(fact.courseId()).isEqualTo("c1");
            assertThat(fact.status()).isEqualTo("stopped");
        });
        session.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "7052", "morphine")));
        assertThat(extractor.extract(session)).isEmpty();
    }

    @Test
    void shouldIndexASessionNamingKetamineByAContainedMedication() {
        // the drug as a contained Medication coded RxNorm 6130 (ketamine): the same exposure as a coded session
        MedicationAdministration session = new MedicationAdministration();
        session.setId("MedicationAdministration/s2");
        session.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        session.setSubject(new Reference("Patient/p1"));
        session.setEffective(new DateTimeType("2026-01-05T09:00:00Z"));
        org.hl7.fhir.r4.model.Medication ketamine = new org.hl7.fhir.r4.model.Medication();
        ketamine.setId("k");
        ketamine.setCode(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "6130", "ketamine")));
        session.addContained(ketamine);
        session.setMedication(new Reference("#k"));
        session.getDosage().setRoute(new CodeableConcept(new Coding("http://snomed.info/sct", "47625008", null)))
                .setDose((org.hl7.fhir.r4.model.SimpleQuantity) new org.hl7.fhir.r4.model.SimpleQuantity().setValue(40).setCode("mg"));

        assertThat(extractor.extract(session)).singleElement().satisfies(fact -> {
            assertThat(fact.kind()).isEqualTo(FactKind.SESSION);
            assertThat(fact.value1()).isEqualTo(40.0);
        });
        ketamine.setCode(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "7052", "morphine")));
        assertThat(extractor.extract(session)).isEmpty();
    }

    @Test
    void shouldIndexAnAdverseEventAgainstItsSession() {
        AdverseEvent event = new AdverseEvent();
        event.setId("AdverseEvent/a1");
        event.setActuality(AdverseEvent.AdverseEventActuality.ACTUAL);
        event.setSubject(new Reference("Patient/p1"));
        event.setDateElement(new DateTimeType("2026-01-05T09:30:00Z"));
        event.setEvent(new CodeableConcept(new Coding("http://snomed.info/sct", "422587007", "Nausea")));
        event.addSuspectEntity().setInstance(new Reference("MedicationAdministration/s1"));
        assertThat(extractor.extract(event)).singleElement().satisfies(fact -> {
            assertThat(fact.kind()).isEqualTo(FactKind.ADVERSE_EVENT);
            assertThat(fact.ref()).isEqualTo("s1");
        });
        event.setActuality(AdverseEvent.AdverseEventActuality.POTENTIAL);
        assertThat(extractor.extract(event)).as("a near miss is not an adverse event").isEmpty();
    }
}
