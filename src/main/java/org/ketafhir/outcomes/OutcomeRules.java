package org.ketafhir.outcomes;

import java.util.List;
import org.ketafhir.dosing.ReadingWindows;

/**
 * The definitions an outcome summary applies (domain reference, section 6), as plain values so the computation can
 * be tested without a server. Bound from {@code ketafhir.outcomes} by {@link OutcomeProperties}.
 *
 * @param baselineWindowDays          the baseline is the last score at most this many days before the first session
 * @param inductionSessions           sessions that complete an induction ...
 * @param inductionDays               ... when given within this many days from the first session
 * @param durabilityWeeks             weeks after the end of induction at which held response is reported
 * @param lossOfResponseConsecutive   after a response, this many consecutive assessments missing it is a loss of response
 * @param timepointToleranceDays      a score counts for a time point (week n, month m) when this close to it
 * @param cohortMonths                months after the first session at which cohort rates are reported
 * @param suicidalIdeationPositiveAt  the suicidal-ideation item is positive at this weight or above
 * @param dissociationScore           the score code (system|code) reported as peak dissociation
 * @param sessionWindows              the dosing rules' windows that assign a vital sign to a session
 * @param rapidResponseHours          rapid response: windows in hours after a session start, each from the previous one
 * @param rapidResponseSessions       rapid response is reported after each of this many first sessions
 */
record OutcomeRules(
        int baselineWindowDays,
        int inductionSessions,
        int inductionDays,
        List<Integer> durabilityWeeks,
        int lossOfResponseConsecutive,
        int timepointToleranceDays,
        List<Integer> cohortMonths,
        int suicidalIdeationPositiveAt,
        String dissociationScore,
        ReadingWindows sessionWindows,
        List<Integer> rapidResponseHours,
        int rapidResponseSessions) {

    public OutcomeRules {
        durabilityWeeks = List.copyOf(durabilityWeeks);
        cohortMonths = List.copyOf(cohortMonths);
        rapidResponseHours = rapidResponseHours.stream().sorted().distinct().toList();
    }
}
