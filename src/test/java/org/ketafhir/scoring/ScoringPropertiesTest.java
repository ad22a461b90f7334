package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScoringPropertiesTest {

    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void validator() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void shouldScoreOnlyTheConfiguredStatuses() {
        ScoringProperties properties = new ScoringProperties(true, Set.of("completed", "amended"),
                new ScoringProperties.Signals(true));

        assertThat(validator.validate(properties)).isEmpty();
        assertThat(properties.statuses().counts(QuestionnaireResponseStatus.COMPLETED)).isTrue();
        assertThat(properties.statuses().counts(QuestionnaireResponseStatus.AMENDED)).isTrue();
        assertThat(properties.statuses().counts(QuestionnaireResponseStatus.INPROGRESS)).isFalse();
        assertThat(properties.statuses().counts(null)).isFalse();
    }

    @Test
    void shouldRefuseAStatusThatIsNotAQuestionnaireResponseStatus() {
        ScoringProperties typo = new ScoringProperties(true, Set.of("complete"), new ScoringProperties.Signals(true));
        ScoringProperties retraction =
                new ScoringProperties(true, Set.of("entered-in-error"), new ScoringProperties.Signals(true));
        ScoringProperties none = new ScoringProperties(true, Set.of(), new ScoringProperties.Signals(true));

        assertThat(validator.validate(typo)).extracting(v -> v.getMessage())
                .singleElement().asString().contains("ketafhir.scoring.scored-statuses");
        assertThat(validator.validate(retraction)).hasSize(1);
        assertThat(validator.validate(none)).hasSize(1);
    }
}
