package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.List;

import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketafhir.ig.GuidePackage;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;

class ResponseScorerTest {

    private static final Reference EVIDENCE = new Reference("QuestionnaireResponse/qr-1");
    private static ResponseScorer scorer;

    @BeforeAll
    static void loadTheGuide() {
        InstrumentCatalog catalog = InstrumentCatalog.fromGuide(GuidePackage.builtIn());
        scorer = new ResponseScorer(new InstrumentResolver(catalog, canonical -> List.of()),
                new ScoringProcessor(catalog), new ScoreObservationFactory(), new SafetySignalFactory());
    }

    @Test
    void shouldYieldTheTotalAndTheSignalOfAPositiveScreen() {
        // 0 x 8 + 2 = 2 -> minimal, but item 9 = 2 is a positive screen
        QuestionnaireResponse response = phq9(0, 0, 0, 0, 0, 0, 0, 0, 2);

        ResponseScorer.Scored scored = score(response);

        assertThat(scored.observations()).singleElement()
                .satisfies(total -> assertThat(total.getValueIntegerType().getValue()).isEqualTo(2));
        assertThat(scored.scores()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(2));
        assertThat(scored.signal()).isPresent();
    }

    @Test
    void shouldRefuseAScoredResponseWithoutItsPatient() {
        QuestionnaireResponse noSubject = phq9(1, 1, 1, 1, 1, 1, 1, 1, 1);
        noSubject.setSubject(null);
        QuestionnaireResponse groupSubject = phq9(1, 1, 1, 1, 1, 1, 1, 1, 1);
        groupSubject.setSubject(new Reference("Group/g-1"));

        assertThatThrownBy(() -> score(noSubject)).isInstanceOfSatisfying(UnprocessableEntityException.class,
                e -> assertThat(((OperationOutcome) e.getOperationOutcome()).getIssueFirstRep().getExpression())
                        .extracting(x -> x.getValue()).containsExactly("QuestionnaireResponse.subject"));
        assertThatThrownBy(() -> score(groupSubject)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("Patient");
    }

    @Test
    void shouldRefuseAScoredResponseWithoutTheTimeItWasAnswered() {
        QuestionnaireResponse undated = phq9(1, 1, 1, 1, 1, 1, 1, 1, 1);
        undated.setAuthored(null);

        assertThatThrownBy(() -> score(undated)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("authored");
    }

    @Test
    void shouldRefuseAWrongAnswerBeforeLookingAtAnythingElse() {
        // item 1 = 4 is outside 0..3
        QuestionnaireResponse response = phq9(4, 0, 0, 0, 0, 0, 0, 0, 0);
        response.setSubject(null);

        assertThatThrownBy(() -> score(response)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("44250-9");
    }

    private static ResponseScorer.Scored score(QuestionnaireResponse response) {
        Instrument instrument = scorer.instrumentOf(response).orElseThrow();
        return scorer.score(response, instrument, EVIDENCE, true, new Date());
    }

    private static QuestionnaireResponse phq9(int... answers) {
        String[] items = {"44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
            "44260-8"};
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setQuestionnaire("http://loinc.org/q/44249-1");
        response.setSubject(new Reference("Patient/p-1"));
        response.getAuthoredElement().setValueAsString("2026-03-02T09:30:00+01:00");
        for (int i = 0; i < answers.length; i++) {
            response.addItem().setLinkId(items[i]).addAnswer().setValue(new IntegerType(answers[i]));
        }
        return response;
    }
}
