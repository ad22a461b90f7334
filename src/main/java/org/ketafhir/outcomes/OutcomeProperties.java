package org.ketafhir.outcomes;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.ketafhir.dosing.ReadingWindows;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the outcome summaries, bound from {@code ketafhir.outcomes.*}; defaults are the domain reference's.
 *
 * @param enabled                    whether the outcome index is kept and the {@code $outcome-summary} operations offered
 * @param baselineWindowDays         the baseline is the last score at most this many days before the first session
 * @param inductionSessions          sessions that complete an induction when given within induction-days
 * @param inductionDays              days from the first session within which the induction sessions count
 * @param durabilityWeeks            weeks after the end of induction at which held response is reported
 * @param lossOfResponseConsecutive  consecutive assessments missing response, after one, that make a loss of response
 * @param timepointToleranceDays     a score counts for a time point when at most this many days from it
 * @param suicidalIdeationItem       the item (system|code) whose answer tracks suicidal ideation
 * @param suicidalIdeationPositiveAt the item is positive at this answer weight or above
 * @param dissociationScore          the score code (system|code) reported as peak dissociation
 * @param rapidResponseHours         rapid response: windows in hours after a session start (each from the previous one)
 * @param rapidResponseSessions      rapid response is reported after each of this many first sessions
 */
@Validated
@ConfigurationProperties("ketafhir.outcomes")
record OutcomeProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("14") @Positive(message = "ketafhir.outcomes.baseline-window-days must be at least 1") int baselineWindowDays,
        @DefaultValue("6") @Positive(message = "ketafhir.outcomes.induction-sessions must be at least 1") int inductionSessions,
        @DefaultValue("28") @Positive(message = "ketafhir.outcomes.induction-days must be at least 1") int inductionDays,
        @DefaultValue({"4", "8", "12"}) @NotEmpty(message = "ketafhir.outcomes.durability-weeks needs at least one week")
                List<@NotNull @Positive(message = "ketafhir.outcomes.durability-weeks takes weeks of 1 or more") Integer> durabilityWeeks,
        @DefaultValue("2") @Positive(message = "ketafhir.outcomes.loss-of-response-consecutive must be at least 1") int lossOfResponseConsecutive,
        @DefaultValue("14") @Min(value = 0, message = "ketafhir.outcomes.timepoint-tolerance-days must be 0 or more") int timepointToleranceDays,
        @DefaultValue("http://loinc.org|44260-8")
                @Pattern(regexp = "[^|]+\\|[^|]+", message = "ketafhir.outcomes.suicidal-ideation-item must be system|code")
                String suicidalIdeationItem,
        @DefaultValue("1") @Positive(message = "ketafhir.outcomes.suicidal-ideation-positive-at must be at least 1") int suicidalIdeationPositiveAt,
        @DefaultValue("http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument|cadss-total")
                @Pattern(regexp = "[^|]+\\|[^|]+", message = "ketafhir.outcomes.dissociation-score must be system|code")
                String dissociationScore,
        @DefaultValue({"4", "24"}) @NotEmpty(message = "ketafhir.outcomes.rapid-response-hours needs at least one window")
                List<@NotNull @Positive(message = "ketafhir.outcomes.rapid-response-hours takes hours of 1 or more") Integer> rapidResponseHours,
        @DefaultValue("2") @Positive(message = "ketafhir.outcomes.rapid-response-sessions must be at least 1") int rapidResponseSessions) {

    /**
     * @param sessionWindows the dosing settings' reading windows
     * @param cohortMonths   the months the guide's cohort Measure names a group for ({@link CohortMonths})
     */
    OutcomeRules rules(ReadingWindows sessionWindows, List<Integer> cohortMonths) {
        return new OutcomeRules(baselineWindowDays, inductionSessions, inductionDays, durabilityWeeks,
                lossOfResponseConsecutive, timepointToleranceDays,
                cohortMonths, suicidalIdeationPositiveAt, dissociationScore, sessionWindows,
                rapidResponseHours, rapidResponseSessions);
    }

    @AssertTrue(message = "ketafhir.outcomes.induction-sessions cannot fit in ketafhir.outcomes.induction-days (one session a day at most)")
    boolean isInductionPossible() {
        return inductionSessions <= inductionDays;
    }
}
