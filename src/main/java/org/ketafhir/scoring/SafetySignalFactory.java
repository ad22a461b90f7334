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
import org.hl7.fhir.r4.model.Task.TaskPriority;
import org.hl7.fhir.r4.model.Task.TaskStatus;

/**
 * Turns the safety result of a scored response into what the care team sees: an active safety Flag on the patient
 * (profile safety-flag) and a Task to review the response. Plain Java, like the scoring itself.
 *
 * <p>Which levels raise a signal, and how urgent it is:
 * <ul>
 *   <li>positive (PHQ-9 item 9 = 1 or 2) and moderate (C-SSRS screener): Flag code
 *       {@code suicidal-ideation-positive-screen}, Task priority {@code urgent} (a same-day risk assessment);</li>
 *   <li>urgent (PHQ-9 item 9 = 3) and high (C-SSRS screener): Flag code {@code suicidal-ideation-urgent}, Task
 *       priority {@code asap}, which FHIR's request-priority ranks above urgent;</li>
 *   <li>low (C-SSRS screener, wish to be dead or thoughts without method): no Flag, a Task of priority
 *       {@code routine} to refer the patient for a behavioural-health assessment (Columbia triage);</li>
 *   <li>unanswered (PHQ-9 item 9 left blank): no Flag (nothing was screened), a Task of priority {@code urgent}
 *       to ask the question today;</li>
 *   <li>none: no signal.</li>
 * </ul>
 * Both resources point to the response as their evidence: the Flag through the core extension flag-detail, the
 * Task through {@code reasonReference}; the Task's {@code focus} is the Flag.
 */
public final class SafetySignalFactory {

    public static final String SAFETY_FLAG_PROFILE = "http://ketafhir.org/fhir/StructureDefinition/safety-flag";
    public static final String FLAG_DETAIL_EXTENSION = "http://hl7.org/fhir/StructureDefinition/flag-detail";
    public static final String KETAFHIR_CODE_SYSTEM = "http://ketafhir.org/fhir/CodeSystem/ketafhir";
    public static final String FLAG_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-category";

    /** A signal to raise: the Flag (null when the signal raises a Task only) and the Task, not yet linked or given ids. */
    public record Signal(Flag flag, Task task) {}

    /** Whether the safety result calls for a Flag and a Task. */
    public boolean raises(SafetyResult safety) {
        return safety != null && safety.rule() != null && severity(safety.level()).isPresent();
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
        Severity severity = severity(safety.level()).orElseThrow();
        Coding signalCode = safety.rule().signal();
        String summary = summary(safety, evidence);

        Flag flag = null;
        if (severity.flagCode() != null) {
            flag = new Flag();
            flag.getMeta().addProfile(SAFETY_FLAG_PROFILE);
            flag.addExtension(FLAG_DETAIL_EXTENSION, evidence.copy());
            flag.setStatus(FlagStatus.ACTIVE);
            flag.addCategory(new CodeableConcept(new Coding(FLAG_CATEGORY_SYSTEM, "safety", "Safety")));
            CodeableConcept code = new CodeableConcept(severity.flagCode());
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
        task.setPriority(severity.taskPriority());
        task.setCode(new CodeableConcept().setText("Suicide risk review"));
        task.setDescription(summary + " " + severity.action());
        task.setFor(response.getSubject().copy());
        if (response.hasEncounter()) {
            task.setEncounter(response.getEncounter().copy());
        }
        task.setAuthoredOn(now);
        task.setLastModified(now);
        CodeableConcept reason = new CodeableConcept();
        if (severity.flagCode() != null) {
            reason.addCoding(severity.flagCode());
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

    private static Optional<Severity> severity(SignalLevel level) {
        if (level == null) {
            return Optional.empty();
        }
        return switch (level) {
            case POSITIVE, MODERATE -> Optional.of(Severity.POSITIVE_SCREEN);
            case URGENT, HIGH -> Optional.of(Severity.URGENT);
            case LOW -> Optional.of(Severity.REFERRAL);
            case UNANSWERED -> Optional.of(Severity.NOT_SCREENED);
            case NONE -> Optional.empty();
        };
    }

    private enum Severity {
        POSITIVE_SCREEN("suicidal-ideation-positive-screen", "Positive suicidal-ideation screen", TaskPriority.URGENT,
                "Review the response and assess suicide risk today."),
        URGENT("suicidal-ideation-urgent", "Urgent suicidal-ideation screen", TaskPriority.ASAP,
                "Review the response and assess suicide risk as soon as possible."),
        REFERRAL(null, null, TaskPriority.ROUTINE, "Refer the patient for a behavioural-health assessment."),
        NOT_SCREENED(null, null, TaskPriority.URGENT,
                "Ask the patient about thoughts of death or self-harm today and record the answer.");

        private final String code;
        private final String display;
        private final TaskPriority taskPriority;
        private final String action;

        Severity(String code, String display, TaskPriority taskPriority, String action) {
            this.code = code;
            this.display = display;
            this.taskPriority = taskPriority;
            this.action = action;
        }

        /** The Flag's code, or null when the signal raises a Task only. */
        Coding flagCode() {
            return code == null ? null : new Coding(KETAFHIR_CODE_SYSTEM, code, display);
        }

        TaskPriority taskPriority() {
            return taskPriority;
        }

        String action() {
            return action;
        }
    }
}
