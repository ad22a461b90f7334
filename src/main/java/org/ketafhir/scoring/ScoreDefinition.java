package org.ketafhir.scoring;

import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.Coding;

/**
 * One score an instrument yields (a total or a subscale), read from an instrument-scoring extension.
 *
 * @param code the Observation.code of the score
 * @param terms what the score adds up
 * @param bands severity bands covering [minimum, maximum], or empty when the score has none
 * @param prorating the rule for unanswered items
 * @param thresholds response / remission / change thresholds
 * @param reportedInLinkId the linkId of the read-only item in which a client may send this score, or null
 * @param minimum the lowest possible score
 * @param maximum the highest possible score
 */
public record ScoreDefinition(
        Coding code,
        List<ScoreTerm> terms,
        List<SeverityBand> bands,
        Prorating prorating,
        OutcomeThresholds thresholds,
        String reportedInLinkId,
        int minimum,
        int maximum) {

    public ScoreDefinition {
        terms = List.copyOf(terms);
        bands = List.copyOf(bands);
    }

    public Optional<SeverityBand> bandFor(int value) {
        return bands.stream().filter(b -> b.contains(value)).findFirst();
    }

    public boolean hasCode(String system, String code) {
        return system.equals(this.code.getSystem()) && code.equals(this.code.getCode());
    }

    /** "system|code", for messages and lookups. */
    public String codeToken() {
        return code.getSystem() + "|" + code.getCode();
    }
}
