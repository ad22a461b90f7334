package org.ketafhir.dosing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ketafhir.dosing.DosingFacts.BloodPressure;
import org.ketafhir.dosing.DosingFacts.Medication;
import org.ketafhir.dosing.DosingFacts.Route;
import org.ketafhir.dosing.DosingFacts.Session;
import org.ketafhir.dosing.DosingFacts.Weight;

/** A session and its facts on the default settings; every test changes only what it is about. */
final class DosingCase {

    static final DosingProperties DEFAULTS = new DosingProperties(true, 30,
            new DosingProperties.Iv(new BigDecimal("0.75"), new BigDecimal("1.0"), 60, 40, Finding.Severity.WARNING),
            new DosingProperties.Esketamine(28, 84, 56, 28, 65, 4, 2, 120, false, 84, 24, 8, 1, 56),
            new DosingProperties.BloodPressure(60, 140, 90, 180, 110, 30, 60, true),
            Map.of(), "UTC",
            new DosingProperties.Readings(new BigDecimal("93"), new BigDecimal("10"), 2),
            new DosingProperties.Im(new BigDecimal("1.0"), new BigDecimal("2.0")),
            new DosingProperties.Oral(new BigDecimal("3.0"), new BigDecimal("7.0")));

    static final Instant START = Instant.parse("2026-09-07T09:00:00Z");
    static final DosingRules RULES = new DosingRules(DEFAULTS);

    /** A session with its facts; every test changes only what it is about. */
    static final class Case {
        Medication medication = Medication.KETAMINE;
        Route route = Route.INTRAVENOUS;
        BigDecimal doseMg = new BigDecimal("40");
        Instant doseEnd = START.plus(Duration.ofMinutes(40));
        Instant observationEnd = START.plus(Duration.ofMinutes(100));
        boolean completed = true;
        boolean overridden = false;
        DosingFacts.Rate rate = null;
        Integer age = 40;
        Weight weight = new Weight(new BigDecimal("80"), START.minus(Duration.ofMinutes(20)), "Observation/w");
        List<BloodPressure> bloodPressures = new ArrayList<>(List.of(bp(120, 80, -10)));
        List<Instant> spo2 = new ArrayList<>();
        List<Instant> otherEsketamine = new ArrayList<>();
        List<DosingFacts.Contraindicated> contraindications = new ArrayList<>();
        boolean acuteSuicidalIdeation = false;
        List<DosingFacts.Reading> readings = new ArrayList<>();

        static Case iv(String mg) {
            Case c = new Case();
            c.doseMg = new BigDecimal(mg);
            return c;
        }

        /** Esketamine at START, 6 min of dosing, 124 min of observation, the 40-min BP and an SpO2 recorded. */
        static Case esketamine(int mg) {
            Case c = new Case();
            c.medication = Medication.ESKETAMINE;
            c.route = Route.NASAL;
            c.doseMg = BigDecimal.valueOf(mg);
            c.weight = null;
            c.doseEnd = START.plus(Duration.ofMinutes(6));
            c.observationEnd = START.plus(Duration.ofMinutes(130));
            c.bloodPressures.add(bp(130, 85, 40));
            c.spo2.add(START.plus(Duration.ofMinutes(40)));
            return c;
        }

        void otherEsketamineStarts(Instant... starts) {
            otherEsketamine.addAll(List.of(starts));
        }

        DosingRules.Evaluation evaluate() {
            return RULES.evaluate(facts());
        }

        DosingRules.Evaluation evaluate(DosingProperties properties) {
            return new DosingRules(properties).evaluate(facts());
        }

        DosingFacts facts() {
            Session session = new Session(medication, route, doseMg, START, doseEnd,
                    Optional.ofNullable(observationEnd), completed, overridden, Optional.ofNullable(rate));
            return new DosingFacts(session, Optional.ofNullable(age), Optional.ofNullable(weight), bloodPressures,
                    spo2, otherEsketamine, contraindications, acuteSuicidalIdeation, readings);
        }
    }

    static BloodPressure bp(int systolic, int diastolic, int minutesFromStart) {
        return new BloodPressure(BigDecimal.valueOf(systolic), BigDecimal.valueOf(diastolic),
                START.plus(Duration.ofMinutes(minutesFromStart)));
    }

    static List<String> rules(DosingRules.Evaluation evaluation) {
        return evaluation.findings().stream().map(Finding::rule).toList();
    }

    static Finding only(DosingRules.Evaluation evaluation, String rule) {
        return evaluation.findings().stream().filter(f -> f.rule().equals(rule)).findFirst().orElseThrow();
    }

}
