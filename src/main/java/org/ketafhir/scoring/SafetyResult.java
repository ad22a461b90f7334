package org.ketafhir.scoring;

import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.Coding;

/**
 * The safety signal of a response: the first of the instrument's safety rules that held, or none.
 *
 * @param level NONE when no rule held
 * @param rule the rule that held, or null
 * @param evidence the answers that the rule names as its evidence
 * @param unansweredEvidence evidence items of any rule that the response left unanswered: when not empty, a
 *     NONE level means "could not be screened" rather than "negative screen"
 */
public record SafetyResult(SignalLevel level, SafetyRule rule, List<Evidence> evidence, List<String> unansweredEvidence) {

    /**
     * One answer behind a signal.
     *
     * @param linkId the guide linkId of the item
     * @param responseLinkId the linkId as the client sent it
     * @param weight the answer's weight
     */
    public record Evidence(String linkId, String responseLinkId, int weight) {}

    public SafetyResult {
        evidence = List.copyOf(evidence);
        unansweredEvidence = List.copyOf(unansweredEvidence);
    }

    public boolean isSignal() {
        return level != SignalLevel.NONE;
    }

    /** The signal code (e.g. phq-9-item-9-positive, c-ssrs-risk-high), when a rule held. */
    public Optional<Coding> signal() {
        return rule == null ? Optional.empty() : Optional.of(rule.signal());
    }
}
