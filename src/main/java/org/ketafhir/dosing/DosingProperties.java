package org.ketafhir.dosing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Thresholds of the dosing rules, bound from {@code ketafhir.dosing.*}. Every message names the key it is about, so
 * an impossible setting stops start-up with the key to fix.
 *
 * @param enabled           whether dosing sessions are checked when stored
 * @param weightWindowDays  a body weight counts for mg/kg when recorded at most this many days before the session start
 * @param iv                rules for intravenous racemic ketamine
 * @param esketamine        rules for esketamine nasal spray
 * @param bloodPressure     blood-pressure rules (all sessions; the post-dose reading for esketamine)
 * @param contraindications local changes to the guide's contraindication groups, by group name; empty = the guide's
 * @param clinicTimeZone    the clinic's time zone (e.g. {@code America/New_York}) for the dates of a session (REMS
 *                          session date, age on the day); empty = the server's default time zone
 * @param readings          limits on the SpO2, respiratory rate and sedation recorded during a session
 * @param im                dose limits of intramuscular racemic ketamine
 * @param oral              dose limits of oral and sublingual racemic ketamine
 */
@Validated
@ConfigurationProperties("ketafhir.dosing")
record DosingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("30") @Positive(message = "ketafhir.dosing.weight-window-days must be at least 1") int weightWindowDays,
        @DefaultValue @NotNull @Valid Iv iv,
        @DefaultValue @NotNull @Valid Esketamine esketamine,
        @DefaultValue @NotNull @Valid BloodPressure bloodPressure,
        Map<String, @Valid Contraindication> contraindications,
        @DefaultValue("") String clinicTimeZone,
        @DefaultValue @NotNull @Valid Readings readings,
        @DefaultValue @NotNull @Valid Im im,
        @DefaultValue @NotNull @Valid Oral oral) {

    DosingProperties {
        contraindications = contraindications == null ? Map.of() : Map.copyOf(contraindications);
        clinicTimeZone = clinicTimeZone == null ? "" : clinicTimeZone.trim();
    }

    @AssertTrue(message = "ketafhir.dosing.clinic-time-zone must be empty or a time zone id such as America/New_York")
    boolean isClinicTimeZoneKnown() {
        try {
            clinicZone();
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    /** The clinic's time zone: the setting, else the server's default. */
    java.time.ZoneId clinicZone() {
        return clinicTimeZone.isEmpty() ? java.time.ZoneId.systemDefault() : java.time.ZoneId.of(clinicTimeZone);
    }

    /**
     * @param warningMgPerKg        a dose above this many mg/kg is a warning
     * @param errorMgPerKg          a dose at or above this many mg/kg is refused unless an override reason is recorded
     * @param minObservationMinutes minutes of observation after the end of the infusion before discharge
     * @param minInfusionMinutes    an infusion shorter than this (from effectivePeriod, else from the rate) is a
     *                              finding of {@code shortInfusionSeverity}
     * @param shortInfusionSeverity warning (default) or error; as an error it is overridable
     */
    record Iv(
            @DefaultValue("0.75") @NotNull @DecimalMin(value = "0", inclusive = false,
                    message = "ketafhir.dosing.iv.warning-mg-per-kg must be greater than 0") BigDecimal warningMgPerKg,
            @DefaultValue("1.0") @NotNull @DecimalMin(value = "0", inclusive = false,
                    message = "ketafhir.dosing.iv.error-mg-per-kg must be greater than 0") BigDecimal errorMgPerKg,
            @DefaultValue("60") @PositiveOrZero(
                    message = "ketafhir.dosing.iv.min-observation-minutes must not be negative") int minObservationMinutes,
            @DefaultValue("40") @PositiveOrZero(
                    message = "ketafhir.dosing.iv.min-infusion-minutes must not be negative") int minInfusionMinutes,
            @DefaultValue("warning") @NotNull(message = "ketafhir.dosing.iv.short-infusion-severity is error or warning")
            Finding.Severity shortInfusionSeverity) {

        @AssertTrue(message = "ketafhir.dosing.iv.error-mg-per-kg must not be below ketafhir.dosing.iv.warning-mg-per-kg")
        boolean isErrorAtOrAboveWarning() {
            return warningMgPerKg == null || errorMgPerKg == null || errorMgPerKg.compareTo(warningMgPerKg) >= 0;
        }
    }

    /**
     * Intramuscular racemic ketamine (checked when a body weight counts). Sub-anaesthetic IM doses are 0.5-1 mg/kg;
     * the anaesthetic IM induction starts at 6.5 mg/kg.
     *
     * @param warningMgPerKg a dose above this many mg/kg is a warning
     * @param errorMgPerKg   a dose at or above this many mg/kg is refused unless an override reason is recorded
     */
    record Im(
            @DefaultValue("1.0") @NotNull @DecimalMin(value = "0", inclusive = false,
                    message = "ketafhir.dosing.im.warning-mg-per-kg must be greater than 0") BigDecimal warningMgPerKg,
            @DefaultValue("2.0") @NotNull @DecimalMin(value = "0", inclusive = false,
                    message = "ketafhir.dosing.im.error-mg-per-kg must be greater than 0") BigDecimal errorMgPerKg) {

        @AssertTrue(message = "ketafhir.dosing.im.error-mg-per-kg must not be below ketafhir.dosing.im.warning-mg-per-kg")
        boolean isErrorAtOrAboveWarning() {
            return warningMgPerKg == null || errorMgPerKg == null || errorMgPerKg.compareTo(warningMgPerKg) >= 0;
        }
    }

    /**
     * Oral and sublingual racemic ketamine (checked when a body weight counts): studied 0.25-7 mg/kg, about 20-25 %
     * bioavailable.
     *
     * @param warningMgPerKg a dose above this many mg/kg is a warning
     * @param errorMgPerKg   a dose at or above this many mg/kg is refused unless an override reason is recorded
     */
    record Oral(
            @DefaultValue("3.0") @NotNull @DecimalMin(value = "0", inclusive = false,
                    message = "ketafhir.dosing.oral.warning-mg-per-kg must be greater than 0") BigDecimal warningMgPerKg,
            @DefaultValue("7.0") @NotNull @DecimalMin(value = "0", inclusive = false,
                    message = "ketafhir.dosing.oral.error-mg-per-kg must be greater than 0") BigDecimal errorMgPerKg) {

        @AssertTrue(message = "ketafhir.dosing.oral.error-mg-per-kg must not be below ketafhir.dosing.oral.warning-mg-per-kg")
        boolean isErrorAtOrAboveWarning() {
            return warningMgPerKg == null || errorMgPerKg == null || errorMgPerKg.compareTo(warningMgPerKg) >= 0;
        }
    }

    /**
     * @param deviceMg               mg per nasal spray device; a dose is a whole multiple of it
     * @param maxDoseMg              the largest dose in mg
     * @param firstDoseMg            the first dose of a course in mg
     * @param olderAdultFirstDoseMg  the first dose in mg from {@code olderAdultAge}, when {@code olderAdultRule} is on
     * @param olderAdultAge          age in years from which the older-adult first dose applies
     * @param inductionWeeks         weeks from the first session during which {@code maxSessionsPerWeek} applies
     * @param maxSessionsPerWeek     most sessions in one course week of the induction
     * @param minObservationMinutes  minutes of observation after the dose before discharge
     * @param olderAdultRule         whether the first dose from {@code olderAdultAge} is {@code olderAdultFirstDoseMg}
     *                               (EU SmPC practice); off by default: the US label has no age rule
     * @param suicidalIdeationFirstDoseMg the first dose in mg when the patient has a current Condition of the guide's
     *                               ketafhir-acute-suicidal-ideation (US label: MDD with acute suicidal ideation, 84 mg)
     * @param minIntervalHours       two sessions less than this many hours apart are refused unless overridden
     * @param continuationUntilWeek  from the end of the induction up to this course week (weeks 5-8 of the label)...
     * @param continuationMaxSessionsPerWeek ...a week holds at most this many sessions (more: warning)
     * @param courseGapDays          a session this many days or more after the patient's previous esketamine session
     *                               starts a new course (re-induction: week 1 and a first dose again)
     */
    record Esketamine(
            @DefaultValue("28") @Positive(message = "ketafhir.dosing.esketamine.device-mg must be greater than 0") int deviceMg,
            @DefaultValue("84") @Positive(message = "ketafhir.dosing.esketamine.max-dose-mg must be greater than 0") int maxDoseMg,
            @DefaultValue("56") @Positive(message = "ketafhir.dosing.esketamine.first-dose-mg must be greater than 0") int firstDoseMg,
            @DefaultValue("28") @Positive(
                    message = "ketafhir.dosing.esketamine.older-adult-first-dose-mg must be greater than 0") int olderAdultFirstDoseMg,
            @DefaultValue("65") @Positive(message = "ketafhir.dosing.esketamine.older-adult-age must be greater than 0") int olderAdultAge,
            @DefaultValue("4") @PositiveOrZero(
                    message = "ketafhir.dosing.esketamine.induction-weeks must not be negative") int inductionWeeks,
            @DefaultValue("2") @Positive(
                    message = "ketafhir.dosing.esketamine.max-sessions-per-week must be at least 1") int maxSessionsPerWeek,
            @DefaultValue("120") @PositiveOrZero(
                    message = "ketafhir.dosing.esketamine.min-observation-minutes must not be negative") int minObservationMinutes,
            @DefaultValue("false") boolean olderAdultRule,
            @DefaultValue("84") @Positive(message = "ketafhir.dosing.esketamine.suicidal-ideation-first-dose-mg"
                    + " must be greater than 0") int suicidalIdeationFirstDoseMg,
            @DefaultValue("24") @PositiveOrZero(
                    message = "ketafhir.dosing.esketamine.min-interval-hours must not be negative") int minIntervalHours,
            @DefaultValue("8") @PositiveOrZero(
                    message = "ketafhir.dosing.esketamine.continuation-until-week must not be negative") int continuationUntilWeek,
            @DefaultValue("1") @Positive(message = "ketafhir.dosing.esketamine.continuation-max-sessions-per-week"
                    + " must be at least 1") int continuationMaxSessionsPerWeek,
            @DefaultValue("56") @Positive(
                    message = "ketafhir.dosing.esketamine.course-gap-days must be at least 1") int courseGapDays) {

        @AssertTrue(message = "ketafhir.dosing.esketamine.continuation-until-week must not be before"
                + " ketafhir.dosing.esketamine.induction-weeks")
        boolean isContinuationAfterInduction() {
            return continuationUntilWeek >= inductionWeeks;
        }

        @AssertTrue(message = "ketafhir.dosing.esketamine.max-dose-mg must not be below"
                + " ketafhir.dosing.esketamine.first-dose-mg, older-adult-first-dose-mg and suicidal-ideation-first-dose-mg")
        boolean isMaxAtOrAboveFirstDoses() {
            return maxDoseMg >= firstDoseMg && maxDoseMg >= olderAdultFirstDoseMg && maxDoseMg >= suicidalIdeationFirstDoseMg;
        }

        @AssertTrue(message = "ketafhir.dosing.esketamine.first-dose-mg, older-adult-first-dose-mg,"
                + " suicidal-ideation-first-dose-mg and max-dose-mg must be whole multiples of ketafhir.dosing.esketamine.device-mg")
        boolean isDosesWholeDevices() {
            return deviceMg <= 0
                    || (firstDoseMg % deviceMg == 0 && olderAdultFirstDoseMg % deviceMg == 0 && maxDoseMg % deviceMg == 0
                            && suicidalIdeationFirstDoseMg % deviceMg == 0);
        }
    }

    /**
     * @param preDoseWindowMinutes  a reading counts as pre-dose when taken at most this many minutes before the start
     * @param warningSystolic       a pre-dose systolic above this (mmHg) is a warning
     * @param warningDiastolic      a pre-dose diastolic above this (mmHg) is a warning
     * @param pauseSystolic         a pre-dose systolic at or above this is refused unless an override reason is recorded
     * @param pauseDiastolic        a pre-dose diastolic at or above this is refused unless an override reason is recorded
     * @param postDoseFromMinutes   esketamine: the post-dose reading is taken from this many minutes after the start...
     * @param postDoseToMinutes     ...up to this many minutes after the start (about 40 min)
     * @param allRoutes             whether the pre-dose rules apply to every route (default), or only IV ketamine and
     *                              esketamine
     */
    record BloodPressure(
            @DefaultValue("60") @Positive(
                    message = "ketafhir.dosing.blood-pressure.pre-dose-window-minutes must be at least 1") int preDoseWindowMinutes,
            @DefaultValue("140") @Positive(
                    message = "ketafhir.dosing.blood-pressure.warning-systolic must be greater than 0") int warningSystolic,
            @DefaultValue("90") @Positive(
                    message = "ketafhir.dosing.blood-pressure.warning-diastolic must be greater than 0") int warningDiastolic,
            @DefaultValue("180") @Positive(
                    message = "ketafhir.dosing.blood-pressure.pause-systolic must be greater than 0") int pauseSystolic,
            @DefaultValue("110") @Positive(
                    message = "ketafhir.dosing.blood-pressure.pause-diastolic must be greater than 0") int pauseDiastolic,
            @DefaultValue("30") @PositiveOrZero(
                    message = "ketafhir.dosing.blood-pressure.post-dose-from-minutes must not be negative") int postDoseFromMinutes,
            @DefaultValue("60") @Positive(
                    message = "ketafhir.dosing.blood-pressure.post-dose-to-minutes must be greater than 0") int postDoseToMinutes,
            @DefaultValue("true") boolean allRoutes) {

        @AssertTrue(message = "ketafhir.dosing.blood-pressure.pause-systolic and pause-diastolic must be above"
                + " ketafhir.dosing.blood-pressure.warning-systolic and warning-diastolic")
        boolean isPauseAboveWarning() {
            return pauseSystolic > warningSystolic && pauseDiastolic > warningDiastolic;
        }

        @AssertTrue(message = "ketafhir.dosing.blood-pressure.post-dose-to-minutes must be after"
                + " ketafhir.dosing.blood-pressure.post-dose-from-minutes")
        boolean isPostDoseWindowOrdered() {
            return postDoseToMinutes > postDoseFromMinutes;
        }
    }

    /**
     * Readings from the session start to the end of post-dose observation (respiratory depression and sedation are
     * risks the Spravato REMS monitors); each breach is a warning.
     *
     * @param spo2BelowPercent              an SpO2 below this (%) is a warning
     * @param respiratoryRateBelowPerMinute a respiratory rate below this (breaths/min) is a warning
     * @param moaasAtOrBelow                a MOAA/S score at or below this (0-5) is a warning
     */
    record Readings(
            @DefaultValue("93") @DecimalMin(value = "0", inclusive = false,
                    message = "ketafhir.dosing.readings.spo2-below-percent must be greater than 0") BigDecimal spo2BelowPercent,
            @DefaultValue("10") @DecimalMin(value = "0", inclusive = false, message =
                    "ketafhir.dosing.readings.respiratory-rate-below-per-minute must be greater than 0") BigDecimal respiratoryRateBelowPerMinute,
            @DefaultValue("2") @PositiveOrZero(
                    message = "ketafhir.dosing.readings.moaas-at-or-below must be 0 to 5") int moaasAtOrBelow) {

        @AssertTrue(message = "ketafhir.dosing.readings.spo2-below-percent must be at most 100 and"
                + " ketafhir.dosing.readings.moaas-at-or-below at most 5")
        boolean isWithinScales() {
            return (spo2BelowPercent == null || spo2BelowPercent.compareTo(BigDecimal.valueOf(100)) <= 0) && moaasAtOrBelow <= 5;
        }
    }

    /**
     * Local changes to one of the guide's contraindication groups (CodeSystem ketafhir-dosing-rule, ValueSet
     * ketafhir-contraindication-&lt;group&gt;); the key is the group's name.
     *
     * @param severity error (refuses the session, no override) or warning; empty = the guide's
     * @param history  whether a resolved or inactive Condition still counts (a history of ...); empty = the guide's
     * @param codes    {@code system|code} added to the guide's codes, or replacing them; ICD-10-CM codes match their
     *                 descendants, a code ending in {@code *} matches every code it starts
     * @param mode     add (default) or replace the guide's codes
     */
    record Contraindication(
            Finding.Severity severity,
            Boolean history,
            List<String> codes,
            @DefaultValue("add") @NotNull(message = "ketafhir.dosing.contraindications.*.mode is add or replace") Mode mode) {

        enum Mode {
            ADD,
            REPLACE
        }

        @AssertTrue(message = "ketafhir.dosing.contraindications.*.codes must list at least one system|code"
                + " when mode is replace")
        boolean isReplacementListed() {
            return mode != Mode.REPLACE || (codes != null && !codes.isEmpty());
        }

        @AssertTrue(message = "ketafhir.dosing.contraindications.*.codes are written system|code")
        boolean isCodesQualified() {
            return codes == null || codes.stream().allMatch(c -> c != null && c.indexOf('|') > 0 && c.indexOf('|') < c.length() - 1);
        }
    }
}
