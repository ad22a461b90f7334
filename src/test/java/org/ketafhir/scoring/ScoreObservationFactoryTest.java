package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketafhir.ig.GuidePackage;

class ScoreObservationFactoryTest {

    private static final String[] PHQ9 = {
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"
    };
    private static ScoringProcessor processor;
    private final ScoreObservationFactory factory = new ScoreObservationFactory();

    @BeforeAll
    static void loadTheGuide() {
        processor = new ScoringProcessor(InstrumentCatalog.fromGuide(GuidePackage.builtIn()));
    }

    @Test
    void shouldRecordTheCssrsRiskLevelAsAnObservationCoded93374Dash7() {
        // C-SSRS Q1 yes, Q2 yes, Q3 (method) yes, Q4 no, Q5 no, Q6 no -> moderate; the guide's rules record it
        // under LOINC 93374-7 (Suicide risk level) with the rule's signal code as the value
        QuestionnaireResponse response = OutcomeResponses.cssrs("Patient/p-1", "2026-03-02T09:30:00+01:00",
                true, true, true, false, false, false);
        Reference evidence = new Reference("QuestionnaireResponse/qr-9");

        Observation risk = factory.safetyResult(processor.score(response).orElseThrow().safety(), response, evidence)
                .orElseThrow();

        assertThat(risk.getMeta().getProfile()).isEmpty();
        assertThat(risk.getStatus()).isEqualTo(ObservationStatus.FINAL);
        assertThat(risk.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("survey");
        assertThat(risk.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(risk.getCode().getCodingFirstRep().getCode()).isEqualTo("93374-7");
        assertThat(risk.getValueCodeableConcept().getCodingFirstRep().getSystem())
                .isEqualTo("http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument");
        assertThat(risk.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("c-ssrs-risk-moderate");
        assertThat(risk.getSubject().getReference()).isEqualTo("Patient/p-1");
        assertThat(risk.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-03-02T09:30:00+01:00");
        assertThat(risk.getDerivedFromFirstRep().getReference()).isEqualTo("QuestionnaireResponse/qr-9");
    }

    @Test
    void shouldRecordNoRiskLevelWhenEveryCssrsAnswerIsNoNorForAPhq9() {
        // Q1 no, Q2 no, Q6 no: no rule holds; PHQ-9 rules record no result Observation
        QuestionnaireResponse none = OutcomeResponses.cssrs("Patient/p-1", "2026-03-02T09:30:00+01:00",
                false, false, null, null, null, false);
        QuestionnaireResponse phq9 = phq9(0, 0, 0, 0, 0, 0, 0, 0, 3);
        Reference evidence = new Reference("QuestionnaireResponse/qr-9");

        assertThat(factory.safetyResult(processor.score(none).orElseThrow().safety(), none, evidence)).isEmpty();
        assertThat(factory.safetyResult(processor.score(phq9).orElseThrow().safety(), phq9, evidence)).isEmpty();
    }

    @Test
    void shouldBuildAFinalSurveyObservationDerivedFromTheResponse() {
        // items 2,2,2,2,2,0,0,0,0: 5 x 2 = 10 -> moderate
        QuestionnaireResponse response = phq9(2, 2, 2, 2, 2, 0, 0, 0, 0);
        response.setId("QuestionnaireResponse/qr-1/_history/3");

        List<Observation> observations = factory.create(processor.score(response).orElseThrow(), response);

        assertThat(observations).hasSize(1);
        Observation total = observations.get(0);
        assertThat(total.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly("http://ketafhir.org/fhir/StructureDefinition/outcome-score");
        assertThat(total.getStatus()).isEqualTo(ObservationStatus.FINAL);
        assertThat(total.getCategoryFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/observation-category");
        assertThat(total.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("survey");
        assertThat(total.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(total.getCode().getCodingFirstRep().getCode()).isEqualTo("44261-6");
        assertThat(total.getValueIntegerType().getValue()).isEqualTo(10);
        assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("phq-9-moderate");
        assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo("http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument");
        assertThat(total.getSubject().getReference()).isEqualTo("Patient/p-1");
        assertThat(total.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-03-02T09:30:00+01:00");
        assertThat(total.getDerivedFrom()).extracting(Reference::getReference)
                .containsExactly("QuestionnaireResponse/qr-1");
    }

    @Test
    void shouldCarryTheTreatmentPlanAndTheEncounterOfTheResponse() {
        QuestionnaireResponse response = phq9(0, 0, 0, 0, 0, 0, 0, 0, 0);
        response.setId("qr-3");
        response.addBasedOn(new Reference("CarePlan/plan-1"));
        response.setEncounter(new Reference("Encounter/visit-4"));

        Observation total = factory.create(processor.score(response).orElseThrow(), response).get(0);

        assertThat(total.getBasedOn()).extracting(Reference::getReference).containsExactly("CarePlan/plan-1");
        assertThat(total.getEncounter().getReference()).isEqualTo("Encounter/visit-4");
    }

    @Test
    void shouldPointToTheReferenceTheCallerGivesForAResponseWithoutId() {
        QuestionnaireResponse response = phq9(0, 0, 0, 0, 0, 0, 0, 0, 0);
        ScoringResult result = processor.score(response).orElseThrow();

        assertThatThrownBy(() -> factory.create(result, response)).isInstanceOf(IllegalArgumentException.class);
        List<Observation> observations = factory.create(result, response, new Reference("urn:uuid:5d1c-qr"));
        assertThat(observations.get(0).getDerivedFromFirstRep().getReference()).isEqualTo("urn:uuid:5d1c-qr");
    }

    @Test
    void shouldBuildNoObservationForAResponseWithErrors() {
        // item 1 = 4 is out of range
        QuestionnaireResponse response = phq9(4, 0, 0, 0, 0, 0, 0, 0, 0);
        response.setId("qr-2");
        ScoringResult result = processor.score(response).orElseThrow();

        assertThat(result.errors()).extracting(ScoringIssue::kind).containsExactly(ScoringIssue.Kind.ANSWER_OUT_OF_RANGE);
        assertThat(result.errors().get(0).reported()).isEqualTo(4);
        assertThatThrownBy(() -> factory.create(result, response))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("44250-9");
    }

    @Test
    void shouldCarryBothNumbersOfAWrongClientTotal() {
        // 1 x 9 = 9, the client says 11
        QuestionnaireResponse response = phq9(1, 1, 1, 1, 1, 1, 1, 1, 1);
        response.addItem().setLinkId("44261-6").addAnswer().setValue(new IntegerType(11));
        ScoringResult result = processor.score(response).orElseThrow();

        assertThat(result.errors()).singleElement().satisfies(issue -> {
            assertThat(issue.kind()).isEqualTo(ScoringIssue.Kind.TOTAL_MISMATCH);
            assertThat(issue.linkId()).isEqualTo("44261-6");
            assertThat(issue.reported()).isEqualTo(11);
            assertThat(issue.computed()).isEqualTo(9);
            assertThat(issue.message()).contains("total of 11").contains("add up to 9");
        });
    }

    private static QuestionnaireResponse phq9(int... answers) {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setQuestionnaire("http://ketafhir.org/fhir/Questionnaire/phq-9");
        response.setSubject(new Reference("Patient/p-1"));
        response.getAuthoredElement().setValueAsString("2026-03-02T09:30:00+01:00");
        for (int i = 0; i < answers.length; i++) {
            response.addItem().setLinkId(PHQ9[i]).addAnswer().setValue(new IntegerType(answers[i]));
        }
        return response;
    }
}
