package org.ketafhir.scoring;

import java.util.List;
import java.util.Objects;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task.TaskPriority;

/**
 * A safety rule read from an instrument-safety-rule extension. The expression is FHIRPath evaluated on the
 * response as normalised by the processor (see {@link ScoringProcessor}); rules are tried in the order the
 * Questionnaire lists them, from the most to the least severe, and the first that yields true gives the signal.
 *
 * @param signal the code of the signal raised (e.g. phq-9-item-9-urgent)
 * @param level the level of the signal, as the guide names it (informative: what is raised is the policy's)
 * @param expression the FHIRPath expression, returning a boolean
 * @param evidenceLinkIds the items whose answers are the evidence of the signal
 * @param policy what the care team is given when the rule holds
 * @param observation the code of the Observation that records the rule's result (C-SSRS: LOINC 93374-7), or null
 */
public record SafetyRule(
        Coding signal,
        SignalLevel level,
        String expression,
        List<String> evidenceLinkIds,
        Policy policy,
        Coding observation) {

    /**
     * The signal policy of a rule, as the guide states it.
     *
     * @param flag the code of the safety Flag raised on the patient, or null for a Task only
     * @param priority the priority of the review Task
     * @param action what the Task asks the care team to do, one sentence
     */
    public record Policy(Coding flag, TaskPriority priority, String action) {

        public Policy {
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(action, "action");
        }
    }

    public SafetyRule {
        evidenceLinkIds = List.copyOf(evidenceLinkIds);
        Objects.requireNonNull(policy, "policy");
    }
}
