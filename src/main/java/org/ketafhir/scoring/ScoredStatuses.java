package org.ketafhir.scoring;

import java.util.Set;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;

/**
 * The QuestionnaireResponse statuses whose answers count ({@code ketafhir.scoring.scored-statuses}): the scoring
 * capability scores them, and the outcome summaries read their answers.
 *
 * @param codes FHIR status codes
 */
public record ScoredStatuses(Set<String> codes) {

    public ScoredStatuses {
        codes = Set.copyOf(codes);
    }

    public boolean counts(QuestionnaireResponseStatus status) {
        return status != null && status != QuestionnaireResponseStatus.NULL && codes.contains(status.toCode());
    }
}
