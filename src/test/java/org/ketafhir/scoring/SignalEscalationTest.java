package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task.TaskPriority;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketafhir.ig.GuidePackage;

/**
 * The guide lists PHQ-9's rules as [item-9-urgent (= 3), item-9-positive (>= 1)] and the C-SSRS screener's as
 * [high, moderate, low]: the earlier rule is the worse signal.
 */
class SignalEscalationTest {

    private static final String INSTRUMENT_CODES = "http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument";

    private static Instrument phq9;
    private static Instrument cssrs;

    @BeforeAll
    static void loadTheGuide() {
        InstrumentCatalog catalog = InstrumentCatalog.fromGuide(GuidePackage.builtIn());
        phq9 = catalog.findByCanonical("http://ketafhir.org/fhir/Questionnaire/phq-9").orElseThrow();
        cssrs = catalog.findByCanonical("http://ketafhir.org/fhir/Questionnaire/c-ssrs-screener").orElseThrow();
    }

    @Test
    void anAmendmentOfItem9FromOneToThreeShouldEscalate() {
        // stored: positive (rule 2 of 2); raised: urgent (rule 1) -> 1 < 2, worse
        assertThat(SignalEscalation.escalates(phq9, rule(phq9, "phq-9-item-9-urgent"), stored("phq-9-item-9-positive")))
                .isTrue();
    }

    @Test
    void anAmendmentOfItem9FromThreeToOneShouldNotDeEscalate() {
        // stored: urgent (rule 1); raised: positive (rule 2) -> not worse
        assertThat(SignalEscalation.escalates(phq9, rule(phq9, "phq-9-item-9-positive"), stored("phq-9-item-9-urgent")))
                .isFalse();
    }

    @Test
    void theSameSignalAgainShouldNotEscalate() {
        // a retried request, or an amendment of another item: rule 1 against rule 1
        assertThat(SignalEscalation.escalates(phq9, rule(phq9, "phq-9-item-9-urgent"), stored("phq-9-item-9-urgent")))
                .isFalse();
        assertThat(SignalEscalation.escalates(cssrs, rule(cssrs, "c-ssrs-risk-moderate"), stored("c-ssrs-risk-moderate")))
                .isFalse();
    }

    @Test
    void cssrsModerateToHighShouldEscalateAndHighToLowShouldNot() {
        // high is rule 1, moderate rule 2, low rule 3
        assertThat(SignalEscalation.escalates(cssrs, rule(cssrs, "c-ssrs-risk-high"), stored("c-ssrs-risk-moderate")))
                .isTrue();
        assertThat(SignalEscalation.escalates(cssrs, rule(cssrs, "c-ssrs-risk-moderate"), stored("c-ssrs-risk-low")))
                .isTrue();
        assertThat(SignalEscalation.escalates(cssrs, rule(cssrs, "c-ssrs-risk-low"), stored("c-ssrs-risk-high")))
                .isFalse();
    }

    @Test
    void aStoredSignalTheInstrumentDoesNotKnowShouldBeRaisedAgain() {
        // a code of no PHQ-9 rule (the guide changed, or someone edited the Flag): the new signal is not lost
        CodeableConcept unknown = new CodeableConcept(new Coding(INSTRUMENT_CODES, "retired-signal", null));
        assertThat(SignalEscalation.escalates(phq9, rule(phq9, "phq-9-item-9-positive"), unknown)).isTrue();
        assertThat(SignalEscalation.escalates(phq9, rule(phq9, "phq-9-item-9-positive"), new CodeableConcept())).isTrue();
    }

    @Test
    void theRulesAsSevereOrMoreShouldBeTheRuleAndThoseBeforeIt() {
        assertThat(SignalEscalation.asSevereOrMore(cssrs, rule(cssrs, "c-ssrs-risk-moderate")))
                .extracting(r -> r.signal().getCode()).containsExactly("c-ssrs-risk-high", "c-ssrs-risk-moderate");
        assertThat(SignalEscalation.asSevereOrMore(phq9, rule(phq9, "phq-9-item-9-urgent")))
                .extracting(r -> r.signal().getCode()).containsExactly("phq-9-item-9-urgent");
    }

    @Test
    void aPriorityShouldOnlyGoUp() {
        // request-priority order: routine < urgent < asap < stat
        assertThat(SignalEscalation.higher(TaskPriority.URGENT, TaskPriority.ASAP)).isEqualTo(TaskPriority.ASAP);
        assertThat(SignalEscalation.higher(TaskPriority.STAT, TaskPriority.ASAP)).isEqualTo(TaskPriority.STAT);
        assertThat(SignalEscalation.higher(TaskPriority.ROUTINE, TaskPriority.URGENT)).isEqualTo(TaskPriority.URGENT);
        assertThat(SignalEscalation.higher(TaskPriority.URGENT, TaskPriority.URGENT)).isEqualTo(TaskPriority.URGENT);
        // a Task whose priority a client removed takes the signal's
        assertThat(SignalEscalation.higher(null, TaskPriority.URGENT)).isEqualTo(TaskPriority.URGENT);
    }

    @Test
    void onlyAClinicianClosedTaskShouldCountAsClosed() {
        assertThat(SignalEscalation.isOpen(TaskStatus.REQUESTED)).isTrue();
        assertThat(SignalEscalation.isOpen(TaskStatus.INPROGRESS)).isTrue();
        assertThat(SignalEscalation.isOpen(TaskStatus.ONHOLD)).isTrue();
        assertThat(SignalEscalation.isOpen(TaskStatus.COMPLETED)).isFalse();
        assertThat(SignalEscalation.isOpen(TaskStatus.CANCELLED)).isFalse();
        assertThat(SignalEscalation.isOpen(TaskStatus.ENTEREDINERROR)).isFalse();
    }

    private static SafetyRule rule(Instrument instrument, String signal) {
        return instrument.safetyRules().stream().filter(r -> r.signal().getCode().equals(signal)).findFirst()
                .orElseThrow();
    }

    private static CodeableConcept stored(String signal) {
        // what a stored Flag.code / Task.reasonCode carries: the guide's signal code and the rule's
        return new CodeableConcept(new Coding("http://ketafhir.org/fhir/CodeSystem/ketafhir",
                "suicidal-ideation-positive-screen", null)).addCoding(new Coding(INSTRUMENT_CODES, signal, null));
    }
}
