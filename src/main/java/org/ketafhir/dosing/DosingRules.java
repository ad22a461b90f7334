package org.ketafhir.dosing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.ketafhir.dosing.DosingFacts.BloodPressure;
import org.ketafhir.dosing.DosingFacts.Contraindicated;
import org.ketafhir.dosing.DosingFacts.Session;
import org.ketafhir.dosing.DosingFacts.Weight;
import org.ketafhir.dosing.Finding.Severity;

/**
 * The dosing rules on one session, in plain Java. Which readings count:
 * <ul>
 *   <li>body weight: the latest one at or before the session start; it counts when at most
 *       {@code weight-window-days} days old. An older one is an error for IV ketamine (overridable, e.g. weight
 *       confirmed) and is then still used; none at all refuses an IV session.</li>
 *   <li>pre-dose blood pressure: the latest reading from {@code pre-dose-window-minutes} before the start up to the
 *       start, both ends included.</li>
 *   <li>esketamine post-dose blood pressure: a reading from {@code post-dose-from-minutes} to
 *       {@code post-dose-to-minutes} after the start, both ends included (the label's "about 40 minutes").</li>
 *   <li>esketamine SpO2: a reading from the start to the end of post-dose observation (or, when that is not recorded,
 *       to the start plus the minimum observation time).</li>
 *   <li>observation time: from the end of dosing (effectivePeriod.end, else the start) to post-dose-observation-end.</li>
 *   <li>esketamine course: the patient's earliest esketamine session starts it; course week n covers days
 *       7(n-1) to 7n after that start. In the first {@code induction-weeks} weeks a week holds at most
 *       {@code max-sessions-per-week} sessions. A session with no earlier esketamine session is the first dose.</li>
 * </ul>
 * Post-dose rules (post-dose blood pressure, SpO2, a recorded observation end) apply to completed sessions only.
 * Each rule's severity and whether an override reason lets it through are the guide's (CodeSystem
 * ketafhir-dosing-rule, {@link DosingRuleCatalogue}); the severities written below are what the guide ships.
 * Pre-dose blood pressure is checked for IV ketamine and esketamine (the sessions the clinic monitors; records of other
 * routes often come from other systems), for every route with {@code blood-pressure.all-routes}.
 */
final class DosingRules {

    static final MathContext PRECISION = MathContext.DECIMAL64;
    private static final Duration WEEK = Duration.ofDays(7);

    private final DosingProperties properties;
    private final DosingRuleCatalogue catalogue;

    /** On the guide's rule catalogue as packaged. */
    DosingRules(DosingProperties properties) {
        this(properties, DosingRuleCatalogue.fromGuide(ca.uhn.fhir.context.FhirContext.forR4Cached()));
    }

    DosingRules(DosingProperties properties, DosingRuleCatalogue catalogue) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    }

    /**
     * @param findings   every rule broken, overridable errors already turned into warnings when overridden
     * @param mgPerKg    the dose per kilogram, when a body weight was used
     * @param weightUsed the body weight it was computed from
     */
    record Evaluation(List<Finding> findings, Optional<BigDecimal> mgPerKg, Optional<Weight> weightUsed) {

        List<Finding> errors() {
            return findings.stream().filter(Finding::refuses).toList();
        }

        List<Finding> warnings() {
            return findings.stream().filter(f -> !f.refuses()).toList();
        }
    }

    /** Only the weight: the dose per kg and the weight it comes from, as {@link #evaluate} would compute them. */
    Evaluation weigh(Session session, Optional<Weight> latestWeight) {
        DosingFacts facts = new DosingFacts(session, Optional.empty(), latestWeight, List.of(), List.of(), List.of(), List.of(),
                false);
        Optional<Weight> used = weight(facts, new ArrayList<>());
        return new Evaluation(List.of(), used.map(w -> session.doseMg().divide(w.kg(), PRECISION)), used);
    }

    Evaluation evaluate(DosingFacts facts) {
        Session session = Objects.requireNonNull(facts.session(), "session");
        List<Finding> findings = new ArrayList<>();

        Optional<Weight> weightUsed = weight(facts, findings);
        Optional<BigDecimal> mgPerKg = weightUsed.map(w -> session.doseMg().divide(w.kg(), PRECISION));
        if (ivKetamine(session)) {
            mgPerKg.ifPresent(dose -> ivDose(dose, findings));
        }
        if (session.esketamine()) {
            esketamineDose(facts, findings);
            esketamineFrequency(facts, findings);
        }
        if (session.esketamine() || session.intravenous() || properties.bloodPressure().allRoutes()) {
            preDoseBloodPressure(facts, findings);
        }
        if (session.esketamine() && session.completed()) {
            postDoseBloodPressure(facts, findings);
            spo2(facts, findings);
        }
        observationTime(session, findings);
        contraindications(facts.contraindications(), findings);

        List<Finding> decided = findings.stream()
                .map(this::catalogued)
                .map(f -> session.overridden() && f.refuses() && f.overridable() ? f.overriddenByReason() : f)
                .toList();
        return new Evaluation(decided, mgPerKg, weightUsed);
    }

    /**
     * The finding with the severity and overridability of its rule in the guide's CodeSystem ketafhir-dosing-rule;
     * a contraindication keeps its group's severity (the guide's unless a setting changes it). A rule without a
     * concept fails: the catalogue is strict.
     */
    private Finding catalogued(Finding finding) {
        DosingRuleCatalogue.Rule rule = catalogue.rule(finding.rule());
        Severity severity = finding.rule().startsWith(DosingRuleCatalogue.CONTRAINDICATION) ? finding.severity() : rule.severity();
        return new Finding(finding.rule(), severity, finding.measured(), finding.threshold(), rule.overridable(),
                finding.overridden(), finding.message());
    }

    /** The weight used for mg/kg; records the weight findings of an IV ketamine session. */
    private Optional<Weight> weight(DosingFacts facts, List<Finding> findings) {
        Session session = facts.session();
        Optional<Weight> latest = facts.latestWeight().filter(w -> !w.at().isAfter(session.start()));
        int window = properties.weightWindowDays();
        String windowText = "a body weight (LOINC 29463-7) recorded at most " + window + " days before the session start";
        if (latest.isEmpty()) {
            if (ivKetamine(session)) {
                findings.add(new Finding("weight-missing", Severity.ERROR, "no body weight on or before the session start",
                        windowText, false, false,
                        "The IV dose rules need the patient's body weight (LOINC 29463-7) to compute mg/kg;"
                                + " none is recorded"));
            }
            return Optional.empty();
        }
        Weight weight = latest.get();
        Duration age = Duration.between(weight.at(), session.start());
        if (age.compareTo(Duration.ofDays(window)) <= 0) {
            return latest;
        }
        if (!ivKetamine(session)) {
            return Optional.empty();
        }
        findings.add(new Finding("weight-outdated", Severity.ERROR,
                "latest body weight " + plain(weight.kg()) + " kg recorded " + days(age) + " before the session start",
                windowText, true, false,
                "The latest body weight is too old to compute mg/kg for the IV dose rules"));
        return latest;
    }

    private void ivDose(BigDecimal mgPerKg, List<Finding> findings) {
        DosingProperties.Iv iv = properties.iv();
        String measured = plain(mgPerKg.setScale(3, RoundingMode.HALF_UP)) + " mg/kg";
        if (mgPerKg.compareTo(iv.errorMgPerKg()) >= 0) {
            findings.add(new Finding("iv-dose-ceiling", Severity.ERROR, measured,
                    "at or above " + plain(iv.errorMgPerKg()) + " mg/kg", true, false,
                    "The IV ketamine dose reaches the ceiling"));
        } else if (mgPerKg.compareTo(iv.warningMgPerKg()) > 0) {
            findings.add(new Finding("iv-dose-high", Severity.WARNING, measured,
                    "above " + plain(iv.warningMgPerKg()) + " mg/kg", false, false,
                    "The IV ketamine dose is above the usual maximum"));
        }
    }

    private void esketamineDose(DosingFacts facts, List<Finding> findings) {
        DosingProperties.Esketamine esk = properties.esketamine();
        BigDecimal dose = facts.session().doseMg();
        String measured = plain(dose) + " mg";
        if (dose.remainder(BigDecimal.valueOf(esk.deviceMg())).signum() != 0) {
            findings.add(new Finding("esketamine-dose-whole-devices", Severity.ERROR, measured,
                    "a multiple of " + esk.deviceMg() + " mg", false, false,
                    "An esketamine dose is a whole number of " + esk.deviceMg() + " mg devices"));
        }
        if (dose.compareTo(BigDecimal.valueOf(esk.maxDoseMg())) > 0) {
            findings.add(new Finding("esketamine-dose-max", Severity.ERROR, measured,
                    "at most " + esk.maxDoseMg() + " mg", false, false, "The esketamine dose is above the maximum"));
        }
        boolean first = facts.otherEsketamineStarts().stream().noneMatch(s -> s.isBefore(facts.session().start()));
        if (!first) {
            return;
        }
        List<Integer> allowed = firstDoses(facts);
        if (allowed.stream().noneMatch(mg -> dose.compareTo(BigDecimal.valueOf(mg)) == 0)) {
            findings.add(new Finding("esketamine-first-dose", Severity.ERROR, measured + " as the first dose",
                    firstDoseThreshold(facts, allowed), true, false, "The first esketamine dose of a course is fixed"));
        }
    }

    /**
     * The labelled first doses: first-dose-mg (US label, treatment-resistant depression), suicidal-ideation-first-dose-mg
     * too with a current acute suicidal ideation (US label, MDD with acute suicidal ideation); with older-adult-rule,
     * older-adult-first-dose-mg instead of first-dose-mg from older-adult-age, and both when the age is unknown.
     */
    private List<Integer> firstDoses(DosingFacts facts) {
        DosingProperties.Esketamine esk = properties.esketamine();
        List<Integer> allowed = new ArrayList<>();
        Optional<Integer> age = facts.ageYears();
        if (!esk.olderAdultRule() || age.isEmpty() || age.get() < esk.olderAdultAge()) {
            allowed.add(esk.firstDoseMg());
        }
        if (esk.olderAdultRule() && (age.isEmpty() || age.get() >= esk.olderAdultAge())) {
            allowed.add(esk.olderAdultFirstDoseMg());
        }
        if (facts.acuteSuicidalIdeation()) {
            allowed.add(esk.suicidalIdeationFirstDoseMg());
        }
        return allowed.stream().distinct().toList();
    }

    private String firstDoseThreshold(DosingFacts facts, List<Integer> allowed) {
        DosingProperties.Esketamine esk = properties.esketamine();
        String doses = String.join(" or ", allowed.stream().map(mg -> mg + " mg").toList());
        List<String> why = new ArrayList<>();
        if (esk.olderAdultRule()) {
            why.add(facts.ageYears().map(a -> "at age " + a + (a >= esk.olderAdultAge() ? " (" + esk.olderAdultAge() + " or over)" : ""))
                    .orElse("age unknown (no or partial birth date)"));
        }
        if (facts.acuteSuicidalIdeation()) {
            why.add("with acute suicidal ideation recorded");
        }
        return why.isEmpty() ? doses : doses + " " + String.join(", ", why);
    }

    private void esketamineFrequency(DosingFacts facts, List<Finding> findings) {
        DosingProperties.Esketamine esk = properties.esketamine();
        Instant start = facts.session().start();
        List<Instant> all = new ArrayList<>(facts.otherEsketamineStarts());
        all.add(start);
        Instant courseStart = all.stream().min(Comparator.naturalOrder()).orElseThrow();
        long week = courseWeek(courseStart, start);
        if (week >= esk.inductionWeeks()) {
            return;
        }
        long inWeek = all.stream().filter(s -> !s.isBefore(courseStart) && courseWeek(courseStart, s) == week).count();
        if (inWeek > esk.maxSessionsPerWeek()) {
            findings.add(new Finding("esketamine-induction-frequency", Severity.ERROR,
                    inWeek + " sessions in course week " + (week + 1),
                    "at most " + esk.maxSessionsPerWeek() + " sessions a week in weeks 1-" + esk.inductionWeeks(), true,
                    false, "Too many esketamine sessions in one induction week"));
        }
    }

    private static long courseWeek(Instant courseStart, Instant start) {
        return Duration.between(courseStart, start).getSeconds() / WEEK.getSeconds();
    }

    private void preDoseBloodPressure(DosingFacts facts, List<Finding> findings) {
        DosingProperties.BloodPressure bp = properties.bloodPressure();
        Instant start = facts.session().start();
        Instant from = start.minus(Duration.ofMinutes(bp.preDoseWindowMinutes()));
        Optional<BloodPressure> pre = facts.bloodPressures().stream()
                .filter(r -> !r.at().isBefore(from) && !r.at().isAfter(start))
                .max(Comparator.comparing(BloodPressure::at));
        if (pre.isEmpty()) {
            findings.add(new Finding("bp-pre-missing", Severity.ERROR, "no blood pressure (LOINC 85354-9) in the window",
                    "a reading at most " + bp.preDoseWindowMinutes() + " min before the session start", false, false,
                    "A pre-dose blood pressure is required"));
            return;
        }
        BloodPressure reading = pre.get();
        String measured = mmHg(reading);
        if (reading.systolic().compareTo(BigDecimal.valueOf(bp.pauseSystolic())) >= 0
                || reading.diastolic().compareTo(BigDecimal.valueOf(bp.pauseDiastolic())) >= 0) {
            findings.add(new Finding("bp-pre-pause", Severity.ERROR, measured,
                    "at or above " + bp.pauseSystolic() + "/" + bp.pauseDiastolic() + " mmHg", true, false,
                    "The pre-dose blood pressure is at the level where dosing pauses"));
        } else if (aboveWarning(reading)) {
            findings.add(new Finding("bp-pre-elevated", Severity.WARNING, measured,
                    "above " + bp.warningSystolic() + "/" + bp.warningDiastolic() + " mmHg", false, false,
                    "The pre-dose blood pressure is elevated"));
        }
    }

    private void postDoseBloodPressure(DosingFacts facts, List<Finding> findings) {
        DosingProperties.BloodPressure bp = properties.bloodPressure();
        Instant start = facts.session().start();
        Instant from = start.plus(Duration.ofMinutes(bp.postDoseFromMinutes()));
        Instant to = start.plus(Duration.ofMinutes(bp.postDoseToMinutes()));
        List<BloodPressure> post = facts.bloodPressures().stream()
                .filter(r -> !r.at().isBefore(from) && !r.at().isAfter(to))
                .toList();
        String window = "a reading " + bp.postDoseFromMinutes() + "-" + bp.postDoseToMinutes() + " min after the start";
        if (post.isEmpty()) {
            findings.add(new Finding("bp-post-missing", Severity.WARNING, "no blood pressure in the window", window,
                    false, false, "Esketamine needs a blood pressure about 40 minutes after dosing"));
            return;
        }
        post.stream().filter(this::aboveWarning).findFirst().ifPresent(high -> findings.add(new Finding(
                "bp-post-elevated", Severity.WARNING, mmHg(high),
                "above " + bp.warningSystolic() + "/" + bp.warningDiastolic() + " mmHg", false, false,
                "The post-dose blood pressure is elevated: monitor until it decreases")));
    }

    private void spo2(DosingFacts facts, List<Finding> findings) {
        Session session = facts.session();
        Instant to = session.observationEnd()
                .orElse(session.doseEnd().plus(Duration.ofMinutes(properties.esketamine().minObservationMinutes())));
        boolean recorded = facts.spo2Times().stream()
                .anyMatch(t -> !t.isBefore(session.start()) && !t.isAfter(to));
        if (!recorded) {
            findings.add(new Finding("spo2-missing", Severity.WARNING, "no SpO2 (LOINC 59408-5) in the window",
                    "a reading from the session start to the end of observation", false, false,
                    "Pulse oximetry is recorded at every esketamine session"));
        }
    }

    private void observationTime(Session session, List<Finding> findings) {
        Integer minimum = session.esketamine() ? Integer.valueOf(properties.esketamine().minObservationMinutes())
                : session.intravenous() ? Integer.valueOf(properties.iv().minObservationMinutes())
                : null;
        if (minimum == null) {
            return;
        }
        if (session.observationEnd().isEmpty()) {
            if (session.esketamine() && session.completed()) {
                findings.add(new Finding("observation-end-missing", Severity.WARNING, "no post-dose-observation-end",
                        "discharge at least " + minimum + " min after dosing", false, false,
                        "The end of post-dose observation is not recorded"));
            }
            return;
        }
        long minutes = Duration.between(session.doseEnd(), session.observationEnd().get()).toMinutes();
        if (minutes < minimum) {
            findings.add(new Finding("observation-time-short", Severity.WARNING, minutes + " min after dosing",
                    "at least " + minimum + " min", false, false, "The patient was discharged too early"));
        }
    }

    private static void contraindications(List<Contraindicated> found, List<Finding> findings) {
        for (Contraindicated c : found) {
            findings.add(new Finding("contraindication-" + c.group(), c.severity(), c.found(),
                    c.severity() == Severity.ERROR ? "contraindication: no dosing" : "relative contraindication",
                    false, false, "The patient has a recorded " + c.group().replace('-', ' ')));
        }
    }

    /**
     * The contraindication groups the patient's coded records fall in, one finding per group.
     *
     * @param records the codes of the patient's Conditions and AllergyIntolerances that are not refuted or entered in
     *                error, each with whether it is current (active, recurrence, relapse or no clinical status)
     */
    static List<Contraindicated> classify(ContraindicationGroups groups, List<CodedRecord> records) {
        List<Contraindicated> found = new ArrayList<>();
        groups.groups().forEach(group -> records.stream()
                .filter(r -> r.current() || group.history())
                .filter(r -> group.matches(r.system(), r.code()))
                .findFirst()
                .ifPresent(r -> found.add(new Contraindicated(group.group(), group.severity(), r.describe()))));
        return found;
    }

    /** One code of a patient's Condition or AllergyIntolerance; {@code reference} like {@code Condition/7}. */
    record CodedRecord(String reference, String system, String code, boolean current) {

        String describe() {
            return reference + " coded " + system + "|" + code;
        }
    }

    private boolean aboveWarning(BloodPressure reading) {
        DosingProperties.BloodPressure bp = properties.bloodPressure();
        return reading.systolic().compareTo(BigDecimal.valueOf(bp.warningSystolic())) > 0
                || reading.diastolic().compareTo(BigDecimal.valueOf(bp.warningDiastolic())) > 0;
    }

    private static boolean ivKetamine(Session session) {
        return !session.esketamine() && session.intravenous();
    }

    private static String mmHg(BloodPressure reading) {
        return plain(reading.systolic()) + "/" + plain(reading.diastolic()) + " mmHg";
    }

    private static String days(Duration age) {
        long hours = age.toHours();
        return hours % 24 == 0 ? hours / 24 + " days" : hours / 24 + " days " + hours % 24 + " h";
    }

    static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}
