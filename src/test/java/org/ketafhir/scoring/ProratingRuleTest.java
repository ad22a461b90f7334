package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * No shipped instrument allows prorating (the guide found no published rule to confirm), but the extension can
 * state one; these tests pin down what 'mean' does on a synthetic three-item instrument.
 */
class ProratingRuleTest {

    private static final String URL = "http://example.org/Questionnaire/prorated";
    private final ScoringProcessor processor = new ScoringProcessor(InstrumentCatalog.of(List.of(instrument())));

    private static Questionnaire instrument() {
        Questionnaire q = TestQuestionnaires.threeItems(URL);
        var scoring = TestQuestionnaires.scoring("a", "b", "c");
        scoring.addExtension(TestQuestionnaires.prorating("mean", 1));
        q.addExtension(scoring);
        return q;
    }

    @Test
    void shouldProrateOneMissingItemOverTheAnsweredOnes() {
        // a = 3, b = 3, c missing: (3 + 3) x 3 / 2 = 9
        ScoreResult total = processor.score(response(3, 3, null)).orElseThrow().scores().get(0);
        assertThat(total.value()).isEqualTo(9);
        assertThat(total.prorated()).isTrue();
        assertThat(total.missingLinkIds()).containsExactly("c");
    }

    @Test
    void shouldRoundAProratedHalfUp() {
        // a = 1, b = 2, c missing: (1 + 2) x 3 / 2 = 4.5 -> 5
        assertThat(processor.score(response(1, 2, null)).orElseThrow().scores().get(0).value()).isEqualTo(5);
    }

    @Test
    void shouldNotProrateMoreMissingItemsThanTheRuleAllows() {
        // two missing, maxMissing 1 -> no score
        ScoreResult total = processor.score(response(3, null, null)).orElseThrow().scores().get(0);
        assertThat(total.isComputed()).isFalse();
        assertThat(total.missingLinkIds()).containsExactly("b", "c");
    }

    @Test
    void shouldNotProrateACompleteResponse() {
        // 1 + 2 + 3 = 6
        ScoreResult total = processor.score(response(1, 2, 3)).orElseThrow().scores().get(0);
        assertThat(total.value()).isEqualTo(6);
        assertThat(total.prorated()).isFalse();
    }

    @Test
    void shouldSayInTheObservationThatTheScoreWasProrated() {
        QuestionnaireResponse response = response(3, 3, null);
        List<Observation> observations = new ScoreObservationFactory()
                .create(processor.score(response).orElseThrow(), response, new Reference("QuestionnaireResponse/p"));
        assertThat(observations).singleElement()
                .satisfies(o -> assertThat(o.getNoteFirstRep().getText()).contains("Prorated"));
    }

    private static QuestionnaireResponse response(Integer a, Integer b, Integer c) {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setQuestionnaire(URL);
        String[] ids = {"a", "b", "c"};
        Integer[] values = {a, b, c};
        for (int i = 0; i < 3; i++) {
            if (values[i] != null) {
                response.addItem().setLinkId(ids[i]).addAnswer().setValue(new IntegerType(values[i]));
            }
        }
        return response;
    }
}
