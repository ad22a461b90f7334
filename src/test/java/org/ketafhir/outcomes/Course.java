package org.ketafhir.outcomes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the outcome-index facts of one hand-made patient, in days from the first dosing session (day 0 at 09:00 UTC,
 * 2026-01-05). Scores are taken at 14:00 on their day, so a score on a session day comes after that session.
 */
final class Course {

    static final Instant DAY_0 = Instant.parse("2026-01-05T09:00:00Z");
    static final String PHQ9 = "http://loinc.org|44261-6";
    static final String CADSS = "http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument|cadss-total";
    static final String IV = "http://snomed.info/sct|47625008";
    static final String IM = "http://snomed.info/sct|78421000";
    static final String MDD = "http://snomed.info/sct|36474008";
    static final String SI_ITEM = "http://loinc.org|44260-8";

    private final String patient;
    private final List<OutcomeFact> facts = new ArrayList<>();
    private int resources;

    Course(String patient) {
        this.patient = patient;
    }

    static Instant day(double days) {
        return DAY_0.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    /** A score at 14:00 on the given day (day 0 = first session day). */
    static Instant scoreDay(int days) {
        return DAY_0.plus(Duration.ofDays(days)).plus(Duration.ofHours(5));
    }

    Course phq9(int days, int value) {
        return score(PHQ9, scoreDay(days), value);
    }

    /** A score timed only by its date, as the index holds it: 00:00 UTC of the day, marked date-only. */
    Course phq9DateOnly(int days, int value) {
        facts.add(fact(FactKind.SCORE, DAY_0.plus(Duration.ofDays(days)).minus(Duration.ofHours(9))).withCode(PHQ9)
                .withValues((double) value, null).withStatus(OutcomeFact.DATE_ONLY));
        return this;
    }

    Course score(String code, Instant at, int value) {
        facts.add(fact(FactKind.SCORE, at).withCode(code).withValues((double) value, null));
        return this;
    }

    /** The six-session IV induction used throughout: days 0, 3, 7, 10, 14, 17 at 09:00, 35-49 mg (0.5-0.7 mg/kg). */
    Course ivInduction(String course) {
        int[] days = {0, 3, 7, 10, 14, 17};
        double[] perKg = {0.5, 0.5, 0.6, 0.6, 0.7, 0.7};
        double[] mg = {35, 35, 42, 42, 49, 49}; // a 70 kg patient
        for (int n = 0; n < days.length; n++) {
            session("s" + (n + 1), DAY_0.plus(Duration.ofDays(days[n])), IV, mg[n], perKg[n], "completed", course);
        }
        return this;
    }

    Course session(String id, Instant at, String route, Double mg, Double perKg, String status, String course) {
        facts.add(new OutcomeFact(FactKind.SESSION, patient, course, route, at, at.plus(Duration.ofMinutes(40)),
                mg, perKg, patient + "-" + id, status, "MedicationAdministration/" + patient + "-" + id));
        return this;
    }

    Course psychotherapy(int days, String course) {
        facts.add(fact(FactKind.PSYCHOTHERAPY, DAY_0.plus(Duration.ofDays(days)).plus(Duration.ofHours(6))).withCourse(course));
        return this;
    }

    Course suicidalIdeation(int days, int value) {
        facts.add(fact(FactKind.SUICIDAL_IDEATION, scoreDay(days)).withCode(SI_ITEM).withValues((double) value, null));
        return this;
    }

    Course bloodPressure(String session, Instant at, int systolic, int diastolic) {
        facts.add(fact(FactKind.BLOOD_PRESSURE, at).withValues((double) systolic, (double) diastolic).withRef(patient + "-" + session));
        return this;
    }

    /** A reading that names no session (no partOf), as many clinic systems send it. */
    Course bloodPressureUnlinked(Instant at, int systolic, int diastolic) {
        facts.add(fact(FactKind.BLOOD_PRESSURE, at).withValues((double) systolic, (double) diastolic));
        return this;
    }

    Course sedation(Instant at, int value) {
        facts.add(fact(FactKind.SEDATION, at).withCode("http://ketafhir.org/fhir/CodeSystem/ketafhir|moaas").withValues((double) value, null));
        return this;
    }

    Course adverseEvent(String session, Instant at, String code) {
        facts.add(fact(FactKind.ADVERSE_EVENT, at).withCode(code).withRef(patient + "-" + session));
        return this;
    }

    Course condition(String code) {
        facts.add(fact(FactKind.CONDITION, null).withCode(code));
        return this;
    }

    Course plan(String id, Instant start, Instant end) {
        facts.add(fact(FactKind.PLAN, start).withEnd(end).withCourse(id));
        return this;
    }

    List<OutcomeFact> facts() {
        return List.copyOf(facts);
    }

    String patient() {
        return patient;
    }

    private OutcomeFact fact(FactKind kind, Instant at) {
        resources++;
        return new OutcomeFact(kind, patient, null, null, at, null, null, null, null, null, "Resource/" + patient + "-" + resources);
    }
}
