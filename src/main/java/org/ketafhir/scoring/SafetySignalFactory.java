package org.ketafhir.scoring;

import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Flag.FlagStatus;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskIntent;
import org.hl7.fhir.r4.model.Task.TaskStatus;

/**
 * Turns the safety result of a scored response into what the care team sees: an active safety Flag on the patient
 * (profile safety-flag) and a Task to review the response. Plain Java, like the scoring itself.
 *
 * <p>What a signal raises is the policy of the rule that held, read from the guide's instrument-safety-rule
 * extension ({@link SafetyRule.Policy}): the Flag code (none: a Task only), the Task priority and the action the Task
 * asks for. Changing the guide changes the policy; nothing here knows an instrument or a level. Both resources point
 * to the response as their evidence: the Flag through the core extension flag-detail, the Task through
 * {@code reasonReference}; the Task's {@code focus} is the Flag, when there is one.
 */
public final class SafetySignalFactory {

    public static final String SAFETY_FLAG_PROFILE = "http://ketafhir.org/fhir/StructureDefinition/safety-flag";
    public static final String FLAG_DETAIL_EXTENSION = "http://hl7.org/fhir/StructureDefinition/flag-detail";
    public static final String FLAG_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-category";

    /** A signal to raise: the Flag (null when the signal raises a Task only) and the Task, not yet linked or given ids. */
    public record Signal(Flag flag, Task task) {}

    /** Whether the safety result calls for a signal: a rule held (every rule of the guide states its policy). */
    public boolean raises(SafetyResult safety) {
        return safety != null && safety.rule() != null;
    }

    /**
     * The Flag and Task for a response whose safety result {@link #raises raises} a signal.
     *
     * @param evidence the reference to the response the resources point to
     * @param now when the Task is authored
     * @return empty when the result raises no signal
     */
    public Optional<Signal> create(SafetyResult safety, QuestionnaireResponse response, Reference evidence, Date now) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(evidence, "evidence");
        if (!raises(safety)) {
            return Optional.empty();
        }
        SafetyRule.Policy policy = safety.rule().policy();
        Coding signalCode = safety.rule().signal();
        String summary = summary(safety, evidence);

        Flag flag = null;
        if (policy.flag() != null) {
            flag = new Flag();
            flag.getMeta().addProfile(SAFETY_FLAG_PROFILE);
            flag.addExtension(FLAG_DETAIL_EXTENSION, evidence.copy());
            flag.setStatus(FlagStatus.ACTIVE);
            flag.addCategory(new CodeableConcept(new Coding(FLAG_CATEGORY_SYSTEM, "safety", "Safety")));
            CodeableConcept code = new CodeableConcept(policy.flag().copy());
            code.addCoding(signalCode.copy());
            code.setText(summary);
            flag.setCode(code);
            flag.setSubject(response.getSubject().copy());
            if (response.hasAuthored()) {
                flag.getPeriod().setStartElement(response.getAuthoredElement().copy());
            }
            if (response.hasEncounter()) {
                flag.setEncounter(response.getEncounter().copy());
            }
        }

        Task task = new Task();
        task.setStatus(TaskStatus.REQUESTED);
        task.setIntent(TaskIntent.ORDER);
        task.setPriority(policy.priority());
        task.setCode(new CodeableConcept().setText("Suicide risk review"));
        task.setDescription(summary + " " + policy.action());
        task.setFor(response.getSubject().copy());
        if (response.hasEncounter()) {
            task.setEncounter(response.getEncounter().copy());
        }
        task.setAuthoredOn(now);
        task.setLastModified(now);
        CodeableConcept reason = new CodeableConcept();
        if (policy.flag() != null) {
            reason.addCoding(policy.flag().copy());
        }
        task.setReasonCode(reason.addCoding(signalCode.copy()));
        task.setReasonReference(evidence.copy());
        return Optional.of(new Signal(flag, task));
    }

    private static String summary(SafetyResult safety, Reference evidence) {
        Coding signal = safety.rule().signal();
        String answers = safety.evidence().stream()
                .map(e -> "item " + e.responseLinkId() + " = " + e.weight())
                .collect(Collectors.joining(", "));
        return (signal.hasDisplay() ? signal.getDisplay() : signal.getCode())
                + (answers.isEmpty() ? "" : " (" + answers + ")")
                + (evidence.hasReference() ? " in " + evidence.getReference() : "") + ".";
    }
}
