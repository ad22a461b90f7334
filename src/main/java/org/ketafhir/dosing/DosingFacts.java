package org.ketafhir.dosing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the dosing rules look at, as plain values: the session and what is stored about its patient. The storage
 * interceptor gathers these; which of them count (time windows) is decided by {@link DosingRules}.
 *
 * @param session            the session being written
 * @param ageYears           the patient's age in whole years at the session start; empty when no birth date is stored
 *                           or a partial one (year, year-month) cannot decide it
 * @param latestWeight       the latest body weight recorded at or before the session start, however old
 * @param bloodPressures     the patient's blood-pressure readings around the session
 * @param spo2Times          when the patient's SpO2 readings around the session were taken
 * @param otherEsketamineStarts starts of the patient's other esketamine sessions (not this one)
 * @param contraindications  contraindicating Conditions / AllergyIntolerances found on the patient
 * @param acuteSuicidalIdeation whether the patient has a current Condition of ketafhir-acute-suicidal-ideation
 * @param readings           the patient's SpO2, respiratory-rate and MOAA/S values from the session start on
 */
record DosingFacts(
        Session session,
        Optional<Integer> ageYears,
        Optional<Weight> latestWeight,
        List<BloodPressure> bloodPressures,
        List<Instant> spo2Times,
        List<Instant> otherEsketamineStarts,
        List<Contraindicated> contraindications,
        boolean acuteSuicidalIdeation,
        List<Reading> readings) {

    enum Medication {
        KETAMINE,
        ESKETAMINE
    }

    /**
     * The route of a session, by its SNOMED CT code: the routes the rules single out, each of which the guide's
     * ketafhir-routes must list ({@link #requireListed}); OTHER for any other or none.
     */
    enum Route {
        INTRAVENOUS("47625008"),
        INTRAMUSCULAR("78421000"),
        NASAL("46713006"),
        ORAL("26643006"),
        SUBLINGUAL("37839007"),
        OTHER(null);

        static final String SNOMED = "http://snomed.info/sct";

        private final String code;

        Route(String code) {
            this.code = code;
        }

        /** The route a SNOMED CT code names, if the rules single it out. */
        static Optional<Route> ofSnomed(String code) {
            return Arrays.stream(values()).filter(route -> route.code != null && route.code.equals(code)).findFirst();
        }

        /**
         * @param guideRoutes the guide's ketafhir-routes as {@code system|code}
         * @throws IllegalStateException when it lacks a route the rules single out: the server must not start
         */
        static void requireListed(Set<String> guideRoutes) {
            List<String> missing = Arrays.stream(values())
                    .filter(route -> route.code != null && !guideRoutes.contains(SNOMED + "|" + route.code))
                    .map(route -> route + " (" + route.code + ")")
                    .toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("The dosing rules single out the routes " + missing
                        + " but the guide's ketafhir-routes does not list them");
            }
        }
    }

    /**
     * @param medication     ketamine or esketamine
     * @param route          the route (dosage.route)
     * @param doseMg         the dose in mg
     * @param start          start of dosing (effectivePeriod.start or effectiveDateTime)
     * @param doseEnd        end of dosing (effectivePeriod.end, else the start)
     * @param observationEnd end of post-dose observation (extension), if recorded
     * @param completed      whether the session is completed (post-dose rules apply only then)
     * @param overridden     whether the session carries an override reason
     * @param rate           dosage.rateQuantity, if recorded
     */
    record Session(
            Medication medication,
            Route route,
            BigDecimal doseMg,
            Instant start,
            Instant doseEnd,
            Optional<Instant> observationEnd,
            boolean completed,
            boolean overridden,
            Optional<Rate> rate) {

        boolean esketamine() {
            return medication == Medication.ESKETAMINE;
        }

        /** Whether the route is intravenous (SNOMED 47625008). */
        boolean intravenous() {
            return route == Route.INTRAVENOUS;
        }
    }

    /** A monitored reading whose value the rules check. */
    enum Vital {
        /** oxygen saturation, % */
        SPO2,
        /** breaths per minute */
        RESPIRATORY_RATE,
        /** MOAA/S score, 0 (no response to pain) to 5 (responds readily to normal voice) */
        SEDATION_MOAAS
    }

    record Reading(Vital vital, BigDecimal value, Instant at) {}

    /** An infusion rate: {@code value} in the UCUM unit {@code ucum} (e.g. {@code mg/kg/h}, {@code mL/h}). */
    record Rate(BigDecimal value, String ucum) {}

    /** @param reference the Observation, e.g. {@code Observation/123} */
    record Weight(BigDecimal kg, Instant at, String reference) {}

    record BloodPressure(BigDecimal systolic, BigDecimal diastolic, Instant at) {

        /**
         * The reading a session is judged by before dosing, by the rules and on the REMS form alike: the latest from
         * pre-dose-window-minutes before the start up to the start (both included).
         */
        static Optional<BloodPressure> preDose(List<BloodPressure> readings, Instant start, DosingProperties.BloodPressure settings) {
            Instant from = start.minus(Duration.ofMinutes(settings.preDoseWindowMinutes()));
            return readings.stream()
                    .filter(r -> !r.at().isBefore(from) && !r.at().isAfter(start))
                    .max(Comparator.comparing(BloodPressure::at));
        }

        /** Systolic above warning-systolic or diastolic above warning-diastolic (mmHg). */
        boolean aboveWarning(DosingProperties.BloodPressure settings) {
            return systolic.compareTo(BigDecimal.valueOf(settings.warningSystolic())) > 0
                    || diastolic.compareTo(BigDecimal.valueOf(settings.warningDiastolic())) > 0;
        }
    }

    /**
     * @param group    the contraindication group (its settings key)
     * @param severity the group's severity
     * @param found    the record and code that matched
     */
    record Contraindicated(String group, Finding.Severity severity, String found) {}
}
