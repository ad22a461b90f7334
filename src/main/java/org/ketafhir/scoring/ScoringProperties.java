package org.ketafhir.scoring;

import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of instrument scoring, bound from {@code ketafhir.scoring.*}.
 *
 * @param enabled        whether outcome QuestionnaireResponses are scored when stored (Observations, signals) and
 *                       {@code QuestionnaireResponse/$extract} is offered
 * @param scoredStatuses the QuestionnaireResponse statuses that are scored (FHIR codes); a response in another
 *                       status keeps no scores, and entered-in-error always retracts them
 * @param signals        the safety signals raised from scored responses
 */
@Validated
@ConfigurationProperties("ketafhir.scoring")
record ScoringProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue({"completed", "amended"}) @NotEmpty Set<String> scoredStatuses,
        @DefaultValue @NotNull @Valid Signals signals) {

    /**
     * @param enabled whether the instruments' safety rules (suicide items of PHQ-9, MADRS and QIDS-SR16, the C-SSRS
     *                screener's risk level) raise the Flags and Tasks their policies in the guide state
     */
    record Signals(@DefaultValue("true") boolean enabled) {}

    @AssertTrue(message = "ketafhir.scoring.scored-statuses takes in-progress, completed, amended or stopped"
            + " (entered-in-error always retracts scores)")
    boolean isScoredStatusesKnown() {
        return scoredStatuses == null || scoredStatuses.stream().allMatch(code -> {
            try {
                QuestionnaireResponseStatus status = QuestionnaireResponseStatus.fromCode(code);
                return status != QuestionnaireResponseStatus.ENTEREDINERROR;
            } catch (Exception e) {
                return false;
            }
        });
    }

    ScoredStatuses statuses() {
        return new ScoredStatuses(scoredStatuses);
    }
}
