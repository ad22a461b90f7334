package org.ketafhir.scoring;

import java.util.List;

import org.hl7.fhir.r4.model.Coding;

/**
 * A safety rule read from an instrument-safety-rule extension. The expression is FHIRPath evaluated on the
 * response as normalised by the processor (see {@link ScoringProcessor}); rules are tried in the order the
 * Questionnaire lists them and the first that yields true gives the signal.
 *
 * @param signal the code of the signal raised (e.g. phq-9-item-9-urgent)
 * @param level the level of the signal
 * @param expression the FHIRPath expression, returning a boolean
 * @param evidenceLinkIds the items whose answers are the evidence of the signal
 * @param observation the code of the Observation that records the rule's result (C-SSRS: LOINC 93374-7), or null
 */
public record SafetyRule(
        Coding signal, SignalLevel level, String expression, List<String> evidenceLinkIds, Coding observation) {

    public SafetyRule {
        evidenceLinkIds = List.copyOf(evidenceLinkIds);
    }
}
