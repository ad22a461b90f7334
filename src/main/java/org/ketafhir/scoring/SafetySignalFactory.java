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
 *   <li>low (C-SSRS screener, wish to be dead or thoughts without method) and none: no signal.</li>
 * </ul>
 * Both resources point to the response as their evidence: the Flag through the core extension flag-detail, the
 * Task through {@code reasonReference}; the Task's {@code focus} is the Flag.
 */
public final class SafetySignalFactory {

    public static final String SAFETY_FLAG_PROFILE = "http://ketafhir.org/fhir/StructureDefinition/safety-flag";
    public static final String FLAG_DETAIL_EXTENSION = "http://hl7.org/fhir/StructureDefinition/flag-detail";
    public static final String KETAFHIR_CODE_SYSTEM = "http://ketafhir.org/fhir/CodeSystem/ketafhir";
    public static final String FLAG_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-category";

    /** A signal to raise: the Flag and the Task, not yet linked to each other or given ids. */
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

        Flag flag = new Flag();
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

        Task task = new Task();
        task.setStatus(TaskStatus.REQUESTED);
        task.setIntent(TaskIntent.ORDER);
        task.setPriority(severity.taskPriority());
        task.setCode(new CodeableConcept().setText("Suicide risk review"));
        task.setDescription(summary + " Review the response and assess suicide risk" + severity.when());
        task.setFor(response.getSubject().copy());
        if (response.hasEncounter()) {
            task.setEncounter(response.getEncounter().copy());
        }
        task.setAuthoredOn(now);
        task.setLastModified(now);
        task.setReasonCode(new CodeableConcept(severity.flagCode()).addCoding(signalCode.copy()));
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
            case NONE, LOW -> Optional.empty();
        };
    }

    private enum Severity {
        POSITIVE_SCREEN("suicidal-ideation-positive-screen", "Positive suicidal-ideation screen", TaskPriority.URGENT,
                " today."),
        URGENT("suicidal-ideation-urgent", "Urgent suicidal-ideation screen", TaskPriority.ASAP,
                " as soon as possible.");

        private final String code;
        private final String display;
        private final TaskPriority taskPriority;
        private final String when;

        Severity(String code, String display, TaskPriority taskPriority, String when) {
            this.code = code;
            this.display = display;
            this.taskPriority = taskPriority;
            this.when = when;
        }

        Coding flagCode() {
            return new Coding(KETAFHIR_CODE_SYSTEM, code, display);
        }

        TaskPriority taskPriority() {
            return taskPriority;
        }

        String when() {
            return when;
        }
    }
}
