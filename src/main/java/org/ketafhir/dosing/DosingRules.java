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
import org.ketafhir.dosing.DosingFacts.Rate;
import org.ketafhir.dosing.DosingFacts.Reading;
import org.ketafhir.dosing.DosingFacts.Route;
import org.ketafhir.dosing.DosingFacts.Session;
import org.ketafhir.dosing.DosingFacts.Vital;
import org.ketafhir.dosing.DosingFacts.Weight;
import org.ketafhir.dosing.Finding.Severity;
import org.ketafhir.ig.GuidePackage;

/**
 * The dosing rules on one session, in plain Java. Which readings count:
 * <ul>
 *   <li>body weight: the latest one at or before the session start; it counts when at most
 *       {@code weight-window-days} days old. An older one is an error for IV ketamine (overridable, e.g. weight
 *       confirmed) and is then still used; none at all refuses an IV session.</li>
 *   <li>pre-dose blood pressure: the latest reading from {@code pre-dose-window-minutes} before the start up to the
 *       start, both ends included.</li>
 *   <li>esketamine post-dose blood pressure: a reading from {@code post-dose-from-minutes} to
 *       {@code post-dose-to-minutes} after the start, both ends included (the label's "about 40 minutes"). When one
 *       there is elevated, the last reading from that window up to post-dose-observation-end must not be.</li>
 *   <li>esketamine SpO2: a reading from the start to the end of post-dose observation (or, when that is not recorded,
 *       to the start plus the minimum observation time).</li>
 *   <li>SpO2, respiratory rate and MOAA/S values (every session): the lowest from the start to the end of post-dose
 *       observation (when not recorded, the end of dosing plus the route's minimum observation time), against
 *       {@code readings.*}.</li>
 *   <li>observation time: from the end of dosing (effectivePeriod.end, else the start) to post-dose-observation-end.</li>
 *   <li>esketamine course ({@link EsketamineCourse}): a session with no esketamine session in the
 *       {@code course-gap-days} before it starts a course (the first ever, or a re-induction) and is a first dose;
 *       course week n covers days 7(n-1) to 7n after that start. In the first {@code induction-weeks} weeks a week
 *       holds at most {@code max-sessions-per-week} sessions, then up to week {@code continuation-until-week} at most
 *       {@code continuation-max-sessions-per-week}. Two sessions are at least {@code min-interval-hours} apart.</li>
 * </ul>
 * Post-dose rules (post-dose blood pressure, SpO2, a recorded observation end) apply to completed sessions only.
 * Each rule's severity and whether an override reason lets it through are the guide's (CodeSystem
 * ketafhir-dosing-rule, {@link DosingRuleCatalogue}); the severities written below are what the guide ships.
 * Pre-dose blood pressure is checked for every route ({@code blood-pressure.all-routes}, the default); with
 * {@code all-routes: false} only for IV ketamine and esketamine (e.g. when records of other routes come from other
 * systems). Intramuscular, oral and sublingual ketamine have mg/kg limits of their own ({@code im.*}, {@code oral.*}),
 * checked when a body weight counts.
 */
final class DosingRules {

    /** Rules whose severity is a setting (the guide gives the default): ketafhir.dosing.iv.short-infusion-severity. */
    private static final java.util.Set<String> SEVERITY_FROM_SETTINGS = java.util.Set.of("iv-infusion-short");

    static final MathContext PRECISION = MathContext.DECIMAL64;
    private static final Duration WEEK = Duration.ofDays(7);

    private final DosingProperties properties;
    private final DosingRuleCatalogue catalogue;

    /** On the guide's rule catalogue as packaged. */
    DosingRules(DosingProperties properties) {
        this(properties, DosingRuleCatalogue.fromGuide(GuidePackage.builtIn()));
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
                false, List.of());
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
            infusionTime(session, mgPerKg, findings);
        }
        if (!session.esketamine()) {
            mgPerKg.ifPresent(dose -> routeDose(session, dose, findings));
        }
        if (session.esketamine()) {
            esketamineDose(facts, findings);
            esketamineFrequency(facts, findings);
            esketamineInterval(facts, findings);
        }
        if (session.esketamine() || session.intravenous() || properties.bloodPressure().allRoutes()) {
            preDoseBloodPressure(facts, findings);
        }
        if (session.esketamine() && session.completed()) {
            postDoseBloodPressure(facts, findings);
            postDoseDecline(facts, findings);
            spo2(facts, findings);
        }
        observationTime(session, findings);
        readings(facts, findings);
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
        Severity severity = finding.rule().startsWith(DosingRuleCatalogue.CONTRAINDICATION)
                || SEVERITY_FROM_SETTINGS.contains(finding.rule()) ? finding.severity() : rule.severity();
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

    /**
     * Intramuscular, oral and sublingual racemic ketamine against their own mg/kg limits (IM ceiling far under the
     * 6.5 mg/kg anaesthetic IM induction; oral limits scaled for about 20-25 % bioavailability).
     */
    private void routeDose(Session session, BigDecimal mgPerKg, List<Finding> findings) {
        String prefix;
        String name;
        BigDecimal warning;
        BigDecimal error;
        if (session.route() == Route.INTRAMUSCULAR) {
            prefix = "im";
            name = "intramuscular";
            warning = properties.im().warningMgPerKg();
            error = properties.im().errorMgPerKg();
        } else if (session.route() == Route.ORAL || session.route() == Route.SUBLINGUAL) {
            prefix = "oral";
            name = session.route() == Route.ORAL ? "oral" : "sublingual";
            warning = properties.oral().warningMgPerKg();
            error = properties.oral().errorMgPerKg();
        } else {
            return;
        }
        String measured = plain(mgPerKg.setScale(3, RoundingMode.HALF_UP)) + " mg/kg " + name;
        if (mgPerKg.compareTo(error) >= 0) {
            findings.add(new Finding(prefix + "-dose-ceiling", Severity.ERROR, measured,
                    "at or above " + plain(error) + " mg/kg", true, false,
                    "The " + name + " ketamine dose reaches the ceiling"));
        } else if (mgPerKg.compareTo(warning) > 0) {
            findings.add(new Finding(prefix + "-dose-high", Severity.WARNING, measured,
                    "above " + plain(warning) + " mg/kg", false, false,
                    "The " + name + " ketamine dose is above the usual maximum"));
        }
    }

    /**
     * The IV infusion time: effectivePeriod start to end when the end is after the start; else from the rate,
     * dose / rate for mg/h or mg/min, dose per kg / rate for mg/kg/h or mg/kg/min (needs the weight). A rate in mL/h
     * cannot be turned into a time from a dose in mg (no concentration is recorded) and is not checked; nor is a
     * session with neither.
     */
    private void infusionTime(Session session, Optional<BigDecimal> mgPerKg, List<Finding> findings) {
        DosingProperties.Iv iv = properties.iv();
        Optional<BigDecimal> minutes;
        String from;
        if (session.doseEnd().isAfter(session.start())) {
            minutes = Optional.of(BigDecimal.valueOf(Duration.between(session.start(), session.doseEnd()).getSeconds())
                    .divide(BigDecimal.valueOf(60), PRECISION));
            from = "effectivePeriod";
        } else if (session.rate().isPresent() && session.rate().get().value().signum() > 0) {
            Rate rate = session.rate().get();
            minutes = switch (rate.ucum()) {
                case "mg/h" -> Optional.of(session.doseMg().multiply(BigDecimal.valueOf(60)).divide(rate.value(), PRECISION));
                case "mg/min" -> Optional.of(session.doseMg().divide(rate.value(), PRECISION));
                case "mg/kg/h" -> mgPerKg.map(d -> d.multiply(BigDecimal.valueOf(60)).divide(rate.value(), PRECISION));
                case "mg/kg/min" -> mgPerKg.map(d -> d.divide(rate.value(), PRECISION));
                default -> Optional.empty();
            };
            from = "dose at " + plain(rate.value()) + " " + rate.ucum();
        } else {
            return;
        }
        minutes.filter(m -> m.compareTo(BigDecimal.valueOf(iv.minInfusionMinutes())) < 0)
                .ifPresent(m -> findings.add(new Finding("iv-infusion-short", iv.shortInfusionSeverity(),
                        plain(m.setScale(1, RoundingMode.HALF_UP)) + " min (" + from + ")",
                        "at least " + iv.minInfusionMinutes() + " min", true, false,
                        "The IV ketamine infusion was given faster than the protocol")));
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
        boolean first = course(facts).firstDose();
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

    /** The course of the session being checked (see {@link EsketamineCourse}). */
    EsketamineCourse course(DosingFacts facts) {
        return EsketamineCourse.of(facts.session().start(), facts.otherEsketamineStarts(), courseGap());
    }

    private Duration courseGap() {
        return Duration.ofDays(properties.esketamine().courseGapDays());
    }

    /**
     * Sessions a course week holds: in weeks 1..induction-weeks at most max-sessions-per-week (error, overridable),
     * then up to continuation-until-week at most continuation-max-sessions-per-week (warning). Only sessions of the
     * same course count.
     */
    private void esketamineFrequency(DosingFacts facts, List<Finding> findings) {
        DosingProperties.Esketamine esk = properties.esketamine();
        Instant start = facts.session().start();
        List<Instant> all = new ArrayList<>(facts.otherEsketamineStarts());
        all.add(start);
        Instant courseStart = course(facts).start();
        long week = courseWeek(courseStart, start);
        if (week >= esk.continuationUntilWeek()) {
            return;
        }
        long inWeek = all.stream()
                .filter(s -> !s.isBefore(courseStart) && courseWeek(courseStart, s) == week)
                .filter(s -> EsketamineCourse.of(s, all, courseGap()).start().equals(courseStart))
                .count();
        if (week < esk.inductionWeeks()) {
            if (inWeek > esk.maxSessionsPerWeek()) {
                findings.add(new Finding("esketamine-induction-frequency", Severity.ERROR,
                        inWeek + " sessions in course week " + (week + 1),
                        "at most " + esk.maxSessionsPerWeek() + " sessions a week in weeks 1-" + esk.inductionWeeks(), true,
                        false, "Too many esketamine sessions in one induction week"));
            }
        } else if (inWeek > esk.continuationMaxSessionsPerWeek()) {
            int most = esk.continuationMaxSessionsPerWeek();
            findings.add(new Finding("esketamine-continuation-frequency", Severity.WARNING,
                    inWeek + " sessions in course week " + (week + 1),
                    "at most " + most + (most == 1 ? " session" : " sessions") + " a week in weeks "
                            + (esk.inductionWeeks() + 1) + "-" + esk.continuationUntilWeek(),
                    false, false, "More esketamine sessions in one week than the schedule after the induction"));
        }
    }

    /** Two esketamine sessions closer together than min-interval-hours (e.g. two on one day): error, overridable. */
    private void esketamineInterval(DosingFacts facts, List<Finding> findings) {
        Duration minimum = Duration.ofHours(properties.esketamine().minIntervalHours());
        Instant start = facts.session().start();
        facts.otherEsketamineStarts().stream()
                .map(other -> Duration.between(other, start).abs())
                .filter(apart -> apart.compareTo(minimum) < 0)
                .min(Comparator.naturalOrder())
                .ifPresent(apart -> findings.add(new Finding("esketamine-min-interval", Severity.ERROR,
                        hoursMinutes(apart) + " from another esketamine session",
                        "at least " + minimum.toHours() + " h between sessions", true, false,
                        "Two esketamine sessions are too close together")));
    }

    private static long courseWeek(Instant courseStart, Instant start) {
        return Duration.between(courseStart, start).getSeconds() / WEEK.getSeconds();
    }

    private void preDoseBloodPressure(DosingFacts facts, List<Finding> findings) {
        DosingProperties.BloodPressure bp = properties.bloodPressure();
        Optional<BloodPressure> pre = BloodPressure.preDose(facts.bloodPressures(), facts.session().start(), bp);
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

    /**
     * The label's "monitor until values decline": when a reading of the post-dose window is above the warning level,
     * the last reading from the window start up to post-dose-observation-end (both included) must not be. Only when
     * the observation end is recorded (else observation-end-missing).
     */
    private void postDoseDecline(DosingFacts facts, List<Finding> findings) {
        DosingProperties.BloodPressure bp = properties.bloodPressure();
        Session session = facts.session();
        if (session.observationEnd().isEmpty()) {
            return;
        }
        Instant from = session.start().plus(Duration.ofMinutes(bp.postDoseFromMinutes()));
        Instant to = session.start().plus(Duration.ofMinutes(bp.postDoseToMinutes()));
        Instant discharge = session.observationEnd().get();
        boolean elevated = facts.bloodPressures().stream()
                .anyMatch(r -> !r.at().isBefore(from) && !r.at().isAfter(to) && aboveWarning(r));
        if (!elevated) {
            return;
        }
        facts.bloodPressures().stream()
                .filter(r -> !r.at().isBefore(from) && !r.at().isAfter(discharge))
                .max(Comparator.comparing(BloodPressure::at))
                .filter(this::aboveWarning)
                .ifPresent(last -> findings.add(new Finding("bp-post-not-declined", Severity.WARNING,
                        "last reading before discharge " + mmHg(last) + " at "
                                + Duration.between(session.start(), last.at()).toMinutes() + " min after the start",
                        "a reading at or below " + bp.warningSystolic() + "/" + bp.warningDiastolic()
                                + " mmHg after the elevated one, by post-dose-observation-end",
                        false, false, "The patient was discharged before the elevated blood pressure declined")));
    }

    private void spo2(DosingFacts facts, List<Finding> findings) {
        Session session = facts.session();
        Instant to = session.observationEnd()
                .orElse(session.doseEnd().plus(Duration.ofMinutes(properties.esketamine().minObservationMinutes())));
        boolean recorded = facts.spo2Times().stream()
                .anyMatch(t -> !t.isBefore(session.start()) && !t.isAfter(to));
        if (!recorded) {
            findings.add(new Finding("spo2-missing", Severity.WARNING, "no SpO2 (LOINC 59408-5 or 2708-6) in the window",
                    "a reading from the session start to the end of observation", false, false,
                    "Pulse oximetry is recorded at every esketamine session"));
        }
    }

    /**
     * The lowest SpO2, respiratory rate and MOAA/S from the session start to the end of observation (when not
     * recorded, the end of dosing plus the route's minimum observation time), each against its limit.
     */
    private void readings(DosingFacts facts, List<Finding> findings) {
        Session session = facts.session();
        DosingProperties.Readings limits = properties.readings();
        int observation = session.intravenous() && !session.esketamine() ? properties.iv().minObservationMinutes()
                : properties.esketamine().minObservationMinutes();
        Instant to = session.observationEnd().orElse(session.doseEnd().plus(Duration.ofMinutes(observation)));
        lowest(facts, Vital.SPO2, to).filter(r -> r.value().compareTo(limits.spo2BelowPercent()) < 0)
                .ifPresent(r -> findings.add(new Finding("spo2-low", Severity.WARNING, plain(r.value()) + " %" + at(session, r),
                        "below " + plain(limits.spo2BelowPercent()) + " %", false, false,
                        "Oxygen saturation fell during the session")));
        lowest(facts, Vital.RESPIRATORY_RATE, to)
                .filter(r -> r.value().compareTo(limits.respiratoryRateBelowPerMinute()) < 0)
                .ifPresent(r -> findings.add(new Finding("respiratory-rate-low", Severity.WARNING,
                        plain(r.value()) + " /min" + at(session, r),
                        "below " + plain(limits.respiratoryRateBelowPerMinute()) + " /min", false, false,
                        "The respiratory rate fell during the session: possible respiratory depression")));
        lowest(facts, Vital.SEDATION_MOAAS, to)
                .filter(r -> r.value().compareTo(BigDecimal.valueOf(limits.moaasAtOrBelow())) <= 0)
                .ifPresent(r -> findings.add(new Finding("sedation-deep", Severity.WARNING,
                        "MOAA/S " + plain(r.value()) + at(session, r), "MOAA/S at or below " + limits.moaasAtOrBelow(),
                        false, false, "The patient was deeply sedated during the session")));
    }

    private static Optional<Reading> lowest(DosingFacts facts, Vital vital, Instant to) {
        Instant from = facts.session().start();
        return facts.readings().stream()
                .filter(r -> r.vital() == vital && !r.at().isBefore(from) && !r.at().isAfter(to))
                .min(Comparator.comparing(Reading::value).thenComparing(Reading::at));
    }

    private static String at(Session session, Reading reading) {
        return " at " + Duration.between(session.start(), reading.at()).toMinutes() + " min after the start";
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
        return reading.aboveWarning(properties.bloodPressure());
    }

    private static boolean ivKetamine(Session session) {
        return !session.esketamine() && session.intravenous();
    }

    private static String mmHg(BloodPressure reading) {
        return plain(reading.systolic()) + "/" + plain(reading.diastolic()) + " mmHg";
    }

    private static String hoursMinutes(Duration duration) {
        return duration.toHours() + " h " + duration.toMinutesPart() + " min";
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
