package org.ketafhir.scoring;

import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task.TaskPriority;
import org.hl7.fhir.r4.model.Task.TaskStatus;

/**
 * Whether a new version of a response raises a worse signal than the Flag or Task already stored for it. An
 * instrument lists its safety rules from the most to the least severe (the first that holds gives the signal), so a
 * signal is worse when its rule comes before the rule of the stored one. A stored signal whose code is none of the
 * instrument's rules (the guide changed, or the resource was edited) counts as less severe: a signal the server
 * cannot place is raised again rather than lost. Never the other way: a lower signal leaves the higher in place.
 */
final class SignalEscalation {

    /** A Task in one of these is still on the care team's list; any other status is a clinician's close. */
    private static final Set<TaskStatus> OPEN = EnumSet.of(TaskStatus.DRAFT, TaskStatus.REQUESTED, TaskStatus.RECEIVED,
            TaskStatus.ACCEPTED, TaskStatus.READY, TaskStatus.INPROGRESS, TaskStatus.ONHOLD);

    private static final List<TaskPriority> PRIORITIES =
            List.of(TaskPriority.ROUTINE, TaskPriority.URGENT, TaskPriority.ASAP, TaskPriority.STAT);

    private SignalEscalation() {}

    /** Whether {@code raised} is worse than the signal the stored code (Flag.code, Task.reasonCode) carries. */
    static boolean escalates(Instrument instrument, SafetyRule raised, CodeableConcept stored) {
        OptionalInt storedRule = ruleOf(instrument, stored);
        return storedRule.isEmpty() || indexOf(instrument, raised) < storedRule.getAsInt();
    }

    /** The position of the instrument's rule whose signal code the concept carries. */
    static OptionalInt ruleOf(Instrument instrument, CodeableConcept code) {
        if (code == null) {
            return OptionalInt.empty();
        }
        List<SafetyRule> rules = instrument.safetyRules();
        for (int i = 0; i < rules.size(); i++) {
            Coding signal = rules.get(i).signal();
            if (code.getCoding().stream().anyMatch(c -> signal.getSystem().equals(c.getSystem())
                    && signal.getCode().equals(c.getCode()))) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /** The rules as severe as {@code raised} or more: the rules whose escalated resources make a new one redundant. */
    static List<SafetyRule> asSevereOrMore(Instrument instrument, SafetyRule raised) {
        return instrument.safetyRules().subList(0, indexOf(instrument, raised) + 1);
    }

    static boolean isOpen(TaskStatus status) {
        return status != null && OPEN.contains(status);
    }

    /** The more pressing of two priorities (FHIR request-priority: routine < urgent < asap < stat). */
    static TaskPriority higher(TaskPriority a, TaskPriority b) {
        return rank(a) >= rank(b) ? a : b;
    }

    /** routine 0, urgent 1, asap 2, stat 3; none -1. */
    static int rank(TaskPriority priority) {
        return priority == null ? -1 : PRIORITIES.indexOf(priority);
    }

    private static int indexOf(Instrument instrument, SafetyRule rule) {
        int index = instrument.safetyRules().indexOf(rule);
        if (index < 0) {
            throw new IllegalArgumentException(rule.signal().getCode() + " is not a safety rule of " + instrument);
        }
        return index;
    }
}
