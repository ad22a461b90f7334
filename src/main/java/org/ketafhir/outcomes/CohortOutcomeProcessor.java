package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.ketafhir.outcomes.CohortOutcome.Counts;
import org.ketafhir.outcomes.CohortOutcome.Rate;
import org.ketafhir.outcomes.PatientOutcome.InstrumentOutcome;
import org.ketafhir.outcomes.PatientOutcome.Point;
import org.ketafhir.outcomes.PatientOutcome.Session;

/**
 * Computes a cohort's outcome from the facts of many patients (domain reference, section 6), one patient at a time
 * through {@link PatientOutcomeProcessor}, so a patient counts in a cohort exactly as their own summary says.
 *
 * <p>Rules, as the Measure states them: treated = patients with a dosing session who match the filters (all their
 * sessions form one course); evaluable = treated with a baseline and a later score; a response rate's denominator
 * also leaves out baselines of 0 (percent change undefined). At a time point (end of induction, n months after the
 * first session) a patient is evaluable when a score lies within the tolerance of it, and that score decides; only
 * patients who completed induction have an end of induction, the others are counted as not completing it. A
 * remission rate's denominator takes only baselines at or above the instrument's remission denominator (CMS159 for
 * PHQ-9: index score above 9). Rapid response (response-24-hours): evaluable patients with a score in the window
 * ending 24 hours after the first session start (see {@link RapidResponses}) and a baseline above 0.
 */
final class CohortOutcomeProcessor {

    static final List<String> STRATIFIERS = List.of("condition", "route", "baseline-severity", "psychotherapy");
    /** The guide's Measure names this group (response 24 h after the first session); the hours are not a setting. */
    static final String RAPID_RESPONSE = "response-24-hours";
    static final int RAPID_HOURS = 24;

    private final PatientOutcomeProcessor patients;
    private final Set<String> conditionsOfInterest;

    /**
     * @param conditionsOfInterest the condition codes a breakdown by condition shows (the guide's conditions in scope)
     */
    public CohortOutcomeProcessor(PatientOutcomeProcessor patients, Set<String> conditionsOfInterest) {
        this.patients = Objects.requireNonNull(patients, "patients");
        this.conditionsOfInterest = Set.copyOf(conditionsOfInterest);
    }

    public CohortOutcome summarise(OutcomeInstrument instrument, Map<String, List<OutcomeFact>> factsByPatient, CohortFilter filter) {
        List<String> timepoints = new ArrayList<>();
        timepoints.add("latest");
        timepoints.add("end-of-induction");
        patients.rules().cohortMonths().forEach(m -> timepoints.add(m + "-months"));
        Map<String, Accumulator> rates = new LinkedHashMap<>();
        for (String timepoint : timepoints) {
            rates.put("response-" + timepoint, new Accumulator());
            rates.put("remission-" + timepoint, new Accumulator());
        }
        rates.put(RAPID_RESPONSE, new Accumulator());
        List<Integer> changes = new ArrayList<>();
        List<Integer> baselines = new ArrayList<>();
        int treated = 0;
        int evaluable = 0;
        int sessions = 0;
        int adverseEvents = 0;
        int inductionNotCompleted = 0;
        Set<String> code = Set.of(instrument.codeToken());
        for (Map.Entry<String, List<OutcomeFact>> entry : new TreeMap<>(factsByPatient).entrySet()) {
            if (filter.members() != null && !filter.members().contains(entry.getKey())) {
                continue;
            }
            PatientOutcome outcome = patients.summarise(entry.getKey(), entry.getValue(), null, null, null, code);
            List<Session> course = outcome.exposure().sessions();
            if (course.isEmpty()) {
                continue;
            }
            InstrumentOutcome scores = outcome.instruments().isEmpty() ? null : outcome.instruments().get(0);
            if (!matches(filter, entry.getValue(), outcome, scores)) {
                continue;
            }
            treated++;
            sessions += course.size();
            adverseEvents += outcome.safety().adverseEvents();
            inductionNotCompleted += outcome.exposure().inductionCompleted() ? 0 : 1;
            Map<String, Set<String>> strata = strata(entry.getValue(), outcome, scores);
            boolean isEvaluable = scores != null && scores.evaluable();
            if (isEvaluable) {
                evaluable++;
                changes.add(scores.change().absolute());
                baselines.add(scores.baseline().value());
            }
            for (String timepoint : timepoints) {
                Point at = isEvaluable ? pointAt(timepoint, scores, outcome) : null;
                int baseline = scores == null || scores.baseline() == null ? 0 : scores.baseline().value();
                boolean responseDefined = at != null && instrument.thresholds().responseDecrease() != null && baseline > 0;
                boolean remissionDefined = at != null && instrument.remissionEvaluable(baseline);
                rates.get("response-" + timepoint).add(strata, responseDefined,
                        responseDefined && InstrumentCourse.responds(baseline, at.value(), instrument.thresholds()));
                rates.get("remission-" + timepoint).add(strata, remissionDefined,
                        remissionDefined && at.value() <= instrument.thresholds().remissionMax());
            }
            // Rapid response: the earliest score within 24 h of the first session (RapidResponses' window), with a baseline.
            Point early = isEvaluable ? patients.rapidResponses().afterFirstSession(scores.points(), course, RAPID_HOURS) : null;
            Boolean rapid = early == null ? null : RapidResponses.response(instrument, scores.baseline().value(), early.value());
            rates.get(RAPID_RESPONSE).add(strata, rapid != null, Boolean.TRUE.equals(rapid));
        }
        List<Rate> result = new ArrayList<>();
        rates.forEach((name, accumulator) -> result.add(new Rate(name, accumulator.overall, accumulator.strata)));
        return new CohortOutcome(instrument, result, mean(changes), median(changes), effectSize(changes, baselines),
                treated, evaluable, sessions, adverseEvents, inductionNotCompleted);
    }

    private Point pointAt(String timepoint, InstrumentOutcome scores, PatientOutcome outcome) {
        Instant first = outcome.exposure().first();
        List<Point> later = scores.points().stream().filter(p -> p.at().isAfter(first)).toList();
        if (timepoint.equals("latest")) {
            return scores.latest();
        }
        Instant target;
        if (timepoint.equals("end-of-induction")) {
            target = outcome.exposure().endOfInduction();
            if (target == null) {
                return null; // induction not completed: no end of induction to assess at
            }
        } else {
            int months = Integer.parseInt(timepoint.substring(0, timepoint.indexOf('-')));
            target = first.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
        }
        return patients.nearest(later, first, target);
    }

    private static boolean matches(CohortFilter filter, List<OutcomeFact> facts, PatientOutcome outcome, InstrumentOutcome scores) {
        Instant first = outcome.exposure().first();
        if (filter.firstSessionFrom() != null && first.isBefore(filter.firstSessionFrom())) {
            return false;
        }
        if (filter.firstSessionTo() != null && first.isAfter(filter.firstSessionTo())) {
            return false;
        }
        if (!filter.conditions().isEmpty() && facts.stream()
                .noneMatch(f -> f.kind() == FactKind.CONDITION && filter.conditions().contains(f.code()))) {
            return false;
        }
        if (!filter.routes().isEmpty() && outcome.exposure().sessions().stream()
                .noneMatch(s -> filter.routes().contains(s.route()))) {
            return false;
        }
        if (filter.psychotherapy() != null && filter.psychotherapy() == outcome.psychotherapySessions().isEmpty()) {
            return false;
        }
        if (!filter.baselineSeverity().isEmpty()) {
            String band = baselineBand(scores);
            return band != null && filter.baselineSeverity().contains(band);
        }
        return true;
    }

    private static String baselineBand(InstrumentOutcome scores) {
        if (scores == null || scores.baseline() == null) {
            return null;
        }
        return scores.instrument().bandFor(scores.baseline().value())
                .map(b -> b.interpretation().getSystem() + "|" + b.interpretation().getCode()).orElse(null);
    }

    private Map<String, Set<String>> strata(List<OutcomeFact> facts, PatientOutcome outcome, InstrumentOutcome scores) {
        Map<String, Set<String>> strata = new LinkedHashMap<>();
        Set<String> conditions = new LinkedHashSet<>();
        facts.stream().filter(f -> f.kind() == FactKind.CONDITION && conditionsOfInterest.contains(f.code()))
                .forEach(f -> conditions.add(f.code()));
        strata.put("condition", conditions);
        Set<String> routes = new LinkedHashSet<>();
        outcome.exposure().sessions().forEach(s -> routes.add(s.route() == null ? "unknown" : s.route()));
        strata.put("route", routes);
        String band = baselineBand(scores);
        strata.put("baseline-severity", band == null ? Set.of() : Set.of(band));
        strata.put("psychotherapy", Set.of(String.valueOf(!outcome.psychotherapySessions().isEmpty())));
        return strata;
    }

    private static final class Accumulator {
        Counts overall = new Counts(0, 0, 0);
        final Map<String, Map<String, Counts>> strata = new LinkedHashMap<>();

        void add(Map<String, Set<String>> patientStrata, boolean evaluable, boolean met) {
            overall = overall.add(evaluable, met);
            for (String stratifier : STRATIFIERS) {
                Map<String, Counts> values = strata.computeIfAbsent(stratifier, s -> new TreeMap<>());
                for (String value : patientStrata.getOrDefault(stratifier, Set.of())) {
                    values.merge(value, new Counts(0, 0, 0).add(evaluable, met),
                            (a, b) -> new Counts(a.initialPopulation() + b.initialPopulation(),
                                    a.denominator() + b.denominator(), a.numerator() + b.numerator()));
                }
            }
        }
    }

    static BigDecimal mean(List<Integer> values) {
        if (values.isEmpty()) {
            return null;
        }
        long sum = values.stream().mapToLong(Integer::longValue).sum();
        return BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(values.size()), 2, RoundingMode.HALF_UP);
    }

    static BigDecimal median(List<Integer> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Integer> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        BigDecimal middle = n % 2 == 1
                ? BigDecimal.valueOf(sorted.get(n / 2))
                : BigDecimal.valueOf(sorted.get(n / 2 - 1) + sorted.get(n / 2)).divide(BigDecimal.valueOf(2));
        return middle.setScale(1, RoundingMode.HALF_UP);
    }

    /** Cohen's d for the change: mean change over the sample standard deviation of the baselines. */
    static BigDecimal effectSize(List<Integer> changes, List<Integer> baselines) {
        int n = baselines.size();
        if (n < 2) {
            return null;
        }
        double meanBaseline = baselines.stream().mapToInt(Integer::intValue).average().orElseThrow();
        double squares = baselines.stream().mapToDouble(b -> (b - meanBaseline) * (b - meanBaseline)).sum();
        double sd = Math.sqrt(squares / (n - 1));
        if (sd == 0) {
            return null;
        }
        double meanChange = changes.stream().mapToInt(Integer::intValue).average().orElseThrow();
        return new BigDecimal(meanChange / sd, MathContext.DECIMAL64).setScale(2, RoundingMode.HALF_UP);
    }
}
