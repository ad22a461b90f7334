package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ketafhir.dosing.ReadingWindows;
import org.ketafhir.outcomes.PatientOutcome.Exposure;
import org.ketafhir.outcomes.PatientOutcome.InstrumentOutcome;
import org.ketafhir.outcomes.PatientOutcome.Point;
import org.ketafhir.outcomes.PatientOutcome.Safety;
import org.ketafhir.outcomes.PatientOutcome.SafetyEvent;
import org.ketafhir.outcomes.PatientOutcome.Session;
import org.ketafhir.outcomes.PatientOutcome.SuicidalIdeation;
import org.ketafhir.scoring.OutcomeThresholds;

/**
 * Computes a patient's outcome summary from the facts of the outcome index (domain reference, section 6). Plain Java:
 * facts and rules in, a {@link PatientOutcome} out.
 *
 * <p>Definitions, as the OperationDefinition documents them: the first session is the first dosing session in scope;
 * the baseline is the last score from {@code baselineWindowDays} before it up to its start; later scores are those
 * after its start up to the end of the period; the latest is the last of them. Days count calendar dates (UTC) from
 * the first session; sessions to an event count the sessions started at or before it.
 */
public final class PatientOutcomeProcessor {

    private final OutcomeInstruments instruments;
    private final OutcomeRules rules;
    private final RapidResponses rapid;

    public PatientOutcomeProcessor(OutcomeInstruments instruments, OutcomeRules rules) {
        this.instruments = Objects.requireNonNull(instruments, "instruments");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.rapid = new RapidResponses(rules.rapidResponseHours(), rules.rapidResponseSessions());
    }

    public OutcomeRules rules() {
        return rules;
    }

    RapidResponses rapidResponses() {
        return rapid;
    }

    /**
     * @param facts        every fact of the patient
     * @param courseId     the treatment plan to summarise, or null for all of the patient's treatment
     * @param start        the first instant of the period, or null
     * @param end          the last instant of the period, or null
     * @param instrumentsWanted the score codes to report, or empty for every outcome instrument with a score
     */
    public PatientOutcome summarise(
            String patientId, List<OutcomeFact> facts, String courseId, Instant start, Instant end, Set<String> instrumentsWanted) {
        Instant from = start;
        Instant until = end;
        if (courseId != null) {
            OutcomeFact plan = facts.stream()
                    .filter(f -> f.kind() == FactKind.PLAN && courseId.equals(f.courseId())).findFirst().orElse(null);
            if (plan != null) {
                from = from != null ? from : plan.at();
            }
        }
        Instant periodStart = from;
        Instant periodEnd = until;
        List<Session> sessions = facts.stream()
                .filter(f -> f.kind() == FactKind.SESSION && inCourse(f, courseId, periodStart, periodEnd)
                        && within(f.at(), periodStart, periodEnd))
                .sorted(Comparator.comparing(OutcomeFact::at))
                .map(f -> new Session(f.ref(), f.at(), f.code(), f.value1(), f.value2(), f.status(), f.courseId(), f.end()))
                .toList();
        Instant first = sessions.isEmpty() ? null : sessions.get(0).at();
        Exposure exposure = exposure(sessions);

        List<InstrumentOutcome> outcomes = new ArrayList<>();
        Map<String, List<Point>> scores = points(facts, FactKind.SCORE);
        for (OutcomeInstrument instrument : instruments.all()) {
            boolean wanted = instrumentsWanted.isEmpty()
                    ? instrument.measuresOutcome()
                    : instrumentsWanted.contains(instrument.codeToken());
            List<Point> series = scoresInScope(scores.get(instrument.codeToken()), first, periodStart, periodEnd);
            if (wanted && !series.isEmpty()) {
                outcomes.add(instrumentOutcome(instrument, series, first, sessions, exposure.endOfInduction()));
            }
        }
        List<Instant> psychotherapy = facts.stream()
                .filter(f -> f.kind() == FactKind.PSYCHOTHERAPY && inCourse(f, courseId, periodStart, periodEnd)
                        && within(f.at(), periodStart, periodEnd))
                .map(OutcomeFact::at).sorted().toList();
        return new PatientOutcome(patientId, courseId, periodStart, periodEnd, outcomes,
                suicidalIdeation(facts, first, periodStart, periodEnd), exposure, psychotherapy,
                safety(facts, sessions, periodStart, periodEnd));
    }

    /** A course's own rows, plus rows that name no course but fall within the period (data from other systems). */
    private static boolean inCourse(OutcomeFact fact, String courseId, Instant start, Instant end) {
        return courseId == null || courseId.equals(fact.courseId()) || (fact.courseId() == null && start != null);
    }

    private static boolean within(Instant at, Instant start, Instant end) {
        return at != null && (start == null || !at.isBefore(start)) && (end == null || !at.isAfter(end));
    }

    private static Map<String, List<Point>> points(List<OutcomeFact> facts, FactKind kind) {
        Map<String, TreeMap<Instant, Point>> byCode = new LinkedHashMap<>();
        for (OutcomeFact fact : facts) {
            if (fact.kind() == kind && fact.at() != null && fact.value1() != null) {
                // The same score sent twice (a derived Observation and the sender's own) counts once.
                byCode.computeIfAbsent(fact.code(), c -> new TreeMap<>())
                        .put(fact.at(), new Point(fact.at(), (int) Math.round(fact.value1()), fact.source(),
                                OutcomeFact.DATE_ONLY.equals(fact.status())));
            }
        }
        return byCode.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> List.copyOf(e.getValue().values()), (a, b) -> a, LinkedHashMap::new));
    }

    /** Scores of the period, plus those of the baseline window before the first session. */
    private List<Point> scoresInScope(List<Point> all, Instant first, Instant start, Instant end) {
        if (all == null) {
            return List.of();
        }
        Instant windowStart = first == null ? start : earliest(start, baselineWindowStart(first));
        return all.stream().filter(p -> within(p.at(), windowStart, end)).toList();
    }

    private Instant baselineWindowStart(Instant first) {
        return first.minus(Duration.ofDays(rules.baselineWindowDays()));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? null : a.isBefore(b) ? a : b;
    }

    InstrumentOutcome instrumentOutcome(
            OutcomeInstrument instrument, List<Point> series, Instant first, List<Session> sessions, Instant endOfInduction) {
        OutcomeThresholds t = instrument.thresholds();
        Point baseline = first == null ? null : series.stream()
                .filter(p -> !p.at().isAfter(first) && !p.at().isBefore(baselineWindowStart(first)))
                .reduce((a, b) -> b).orElse(null);
        List<Point> later = first == null ? List.of() : series.stream().filter(p -> p.at().isAfter(first)).toList();
        Point latest = later.isEmpty() ? series.get(series.size() - 1) : later.get(later.size() - 1);
        boolean evaluable = baseline != null && !later.isEmpty();
        if (!evaluable) {
            return new InstrumentOutcome(instrument, series, baseline, latest, false, null, null, null, null, null, null,
                    null, null, null, null, Map.of(), null, null,
                    baseline == null ? null : responseThreshold(baseline.value(), t), t.remissionMax(),
                    baseline == null || t.remissionMax() == null ? null : instrument.remissionEvaluable(baseline.value()),
                    rapid.of(instrument, baseline == null ? null : baseline.value(), series, sessions));
        }
        int b = baseline.value();
        int l = latest.value();
        Boolean respondsDefined = t.responseDecrease() != null && b > 0 ? Boolean.TRUE : null;
        Point firstResponse = respondsDefined == null ? null
                : later.stream().filter(p -> responds(b, p.value(), t)).findFirst().orElse(null);
        // CMS159: only a baseline above the instrument's remission denominator can remit; below it remission is not evaluable.
        Boolean remissionEvaluable = t.remissionMax() == null ? null : instrument.remissionEvaluable(b);
        Point firstRemission = !Boolean.TRUE.equals(remissionEvaluable) ? null
                : later.stream().filter(p -> p.value() <= t.remissionMax()).findFirst().orElse(null);
        Map<Integer, Boolean> held = new LinkedHashMap<>();
        if (respondsDefined != null && endOfInduction != null) {
            for (int week : rules.durabilityWeeks()) {
                Point at = nearest(later, endOfInduction, endOfInduction.plus(Duration.ofDays(7L * week)));
                if (at != null) {
                    held.put(week, responds(b, at.value(), t));
                }
            }
        }
        Point loss = firstResponse == null ? null : lossOfResponse(later, firstResponse, b, t);
        return new InstrumentOutcome(
                instrument, series, baseline, latest, true,
                b - l,
                b > 0 ? BigDecimal.valueOf((long) (b - l) * 100).divide(BigDecimal.valueOf(b), 1, RoundingMode.HALF_UP) : null,
                respondsDefined == null ? null : responds(b, l, t),
                !Boolean.TRUE.equals(remissionEvaluable) ? null : l <= t.remissionMax(),
                t.meaningfulChange() == null ? null : b - l >= t.meaningfulChange(),
                t.worseningIncrease() == null ? null : l - b >= t.worseningIncrease(),
                firstResponse == null ? null : days(first, firstResponse.at()),
                firstResponse == null ? null : sessionsBy(sessions, firstResponse.at()),
                firstRemission == null ? null : days(first, firstRemission.at()),
                firstRemission == null ? null : sessionsBy(sessions, firstRemission.at()),
                held,
                firstResponse == null ? null : loss != null,
                loss == null ? null : loss.at(),
                responseThreshold(b, t),
                t.remissionMax(),
                remissionEvaluable,
                rapid.of(instrument, b, series, sessions));
    }

    /** A fall of at least the instrument's share of the baseline: (b - l) >= share x b, in exact arithmetic. */
    static boolean responds(int baseline, int value, OutcomeThresholds t) {
        return baseline > 0 && t.responseDecrease() != null
                && BigDecimal.valueOf(baseline - value).compareTo(t.responseDecrease().multiply(BigDecimal.valueOf(baseline))) >= 0;
    }

    private static BigDecimal responseThreshold(int baseline, OutcomeThresholds t) {
        if (t.responseDecrease() == null || baseline <= 0) {
            return null;
        }
        return BigDecimal.ONE.subtract(t.responseDecrease()).multiply(BigDecimal.valueOf(baseline)).stripTrailingZeros();
    }

    /** After the first response, the assessment at which the criterion has been missed the configured number of times in a row. */
    private Point lossOfResponse(List<Point> later, Point firstResponse, int baseline, OutcomeThresholds t) {
        int missed = 0;
        for (Point point : later) {
            if (!point.at().isAfter(firstResponse.at())) {
                continue;
            }
            missed = responds(baseline, point.value(), t) ? 0 : missed + 1;
            if (missed >= rules.lossOfResponseConsecutive()) {
                return point;
            }
        }
        return null;
    }

    /** The score nearest to a target time (within the tolerance, after {@code after}); the later one on a tie. */
    Point nearest(List<Point> points, Instant after, Instant target) {
        Duration tolerance = Duration.ofDays(rules.timepointToleranceDays());
        Point best = null;
        Duration bestDistance = null;
        for (Point point : points) {
            if (!point.at().isAfter(after)) {
                continue;
            }
            Duration distance = Duration.between(point.at(), target).abs();
            if (distance.compareTo(tolerance) <= 0 && (bestDistance == null || distance.compareTo(bestDistance) <= 0)) {
                best = point;
                bestDistance = distance;
            }
        }
        return best;
    }

    static int days(Instant from, Instant to) {
        LocalDate a = LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate b = LocalDate.ofInstant(to, ZoneOffset.UTC);
        return (int) ChronoUnit.DAYS.between(a, b);
    }

    private static int sessionsBy(List<Session> sessions, Instant at) {
        return (int) sessions.stream().filter(s -> !s.at().isAfter(at)).count();
    }

    Exposure exposure(List<Session> sessions) {
        Map<String, Integer> byRoute = new LinkedHashMap<>();
        BigDecimal mg = BigDecimal.ZERO;
        BigDecimal perKg = BigDecimal.ZERO;
        int withMg = 0;
        int withPerKg = 0;
        for (Session session : sessions) {
            byRoute.merge(session.route() == null ? "unknown" : session.route(), 1, Integer::sum);
            if (session.doseMg() != null) {
                mg = mg.add(BigDecimal.valueOf(session.doseMg()));
                withMg++;
            }
            if (session.mgPerKg() != null) {
                perKg = perKg.add(BigDecimal.valueOf(session.mgPerKg()));
                withPerKg++;
            }
        }
        Instant endOfInduction = null;
        int inInduction = 0;
        if (!sessions.isEmpty()) {
            Instant inductionEnd = sessions.get(0).at().plus(Duration.ofDays(rules.inductionDays()));
            for (Session session : sessions) {
                if (session.at().isBefore(inductionEnd)) {
                    inInduction++;
                    endOfInduction = session.at();
                }
            }
        }
        // Only a completed induction has an end: durability and end-of-induction rates are anchored on it.
        boolean completed = inInduction >= rules.inductionSessions();
        return new Exposure(sessions, byRoute,
                withMg == 0 ? null : mg.stripTrailingZeros(),
                withPerKg == 0 ? null : perKg.divide(BigDecimal.valueOf(withPerKg), 3, RoundingMode.HALF_UP).stripTrailingZeros(),
                completed,
                completed ? endOfInduction : null);
    }

    private SuicidalIdeation suicidalIdeation(List<OutcomeFact> facts, Instant first, Instant start, Instant end) {
        List<Point> all = points(facts, FactKind.SUICIDAL_IDEATION).values().stream().flatMap(List::stream)
                .sorted(Comparator.comparing(Point::at)).toList();
        List<Point> screens = scoresInScope(all, first, start, end);
        if (screens.isEmpty()) {
            return new SuicidalIdeation(null, null, null, 0, List.of());
        }
        int positiveAt = rules.suicidalIdeationPositiveAt();
        Point baseline = first == null ? null : screens.stream()
                .filter(p -> !p.at().isAfter(first) && !p.at().isBefore(baselineWindowStart(first)))
                .reduce((a, b) -> b).orElse(null);
        List<Point> later = first == null ? screens : screens.stream().filter(p -> p.at().isAfter(first)).toList();
        Point latest = later.isEmpty() ? null : later.get(later.size() - 1);
        Boolean baselinePositive = baseline == null ? null : baseline.value() >= positiveAt;
        Boolean latestPositive = latest == null ? null : latest.value() >= positiveAt;
        Boolean resolved = Boolean.TRUE.equals(baselinePositive) && latestPositive != null ? !latestPositive : null;
        int positives = (int) screens.stream().filter(p -> p.value() >= positiveAt).count();
        return new SuicidalIdeation(baselinePositive, latestPositive, resolved, positives, screens);
    }

    private Safety safety(List<OutcomeFact> facts, List<Session> sessions, Instant start, Instant end) {
        Map<String, Session> byId = new LinkedHashMap<>();
        sessions.forEach(s -> byId.put(s.id(), s));
        Double peakSystolic = null;
        Double peakDiastolic = null;
        Double peakRise = null;
        // A reading belongs to a session by partOf or, as the dosing rules read them, by the session's time windows.
        ReadingWindows windows = rules.sessionWindows();
        Map<String, List<OutcomeFact>> readings = SessionReadings.bySession(sessions,
                facts.stream().filter(f -> f.kind() == FactKind.BLOOD_PRESSURE).toList(), windows);
        for (Map.Entry<String, List<OutcomeFact>> entry : readings.entrySet()) {
            Session session = byId.get(entry.getKey());
            OutcomeFact pre = null;
            Double postPeak = null;
            for (OutcomeFact reading : entry.getValue()) {
                peakSystolic = max(peakSystolic, reading.value1());
                peakDiastolic = max(peakDiastolic, reading.value2());
                if (windows.isPreDose(session.at(), reading.at())) {
                    pre = pre == null || reading.at().isAfter(pre.at()) ? reading : pre;
                } else if (reading.at().isAfter(session.at())) {
                    postPeak = max(postPeak, reading.value1());
                }
            }
            if (pre != null && pre.value1() != null && postPeak != null) {
                peakRise = max(peakRise, postPeak - pre.value1());
            }
        }
        Integer peakDissociation = facts.stream()
                .filter(f -> f.kind() == FactKind.SCORE && rules.dissociationScore().equals(f.code())
                        && within(f.at(), start, end) && f.value1() != null)
                .map(f -> (int) Math.round(f.value1())).max(Integer::compare).orElse(null);
        Integer lowestSedation = facts.stream()
                .filter(f -> f.kind() == FactKind.SEDATION && within(f.at(), start, end) && f.value1() != null)
                .map(f -> (int) Math.round(f.value1())).min(Integer::compare).orElse(null);
        List<SafetyEvent> events = new ArrayList<>();
        int adverse = 0;
        int signals = 0;
        for (OutcomeFact fact : facts) {
            boolean inScope = fact.ref() != null ? byId.containsKey(fact.ref()) : within(fact.at(), start, end);
            if (fact.kind() == FactKind.ADVERSE_EVENT && inScope) {
                adverse++;
                events.add(new SafetyEvent(fact.at(), "adverse-event", fact.code(), fact.source()));
            } else if (fact.kind() == FactKind.SAFETY_SIGNAL && within(fact.at(), start, end)) {
                signals++;
                events.add(new SafetyEvent(fact.at(), "safety-signal", fact.code(), fact.source()));
            }
        }
        int stopped = 0;
        for (Session session : sessions) {
            if ("stopped".equals(session.status())) {
                stopped++;
                events.add(new SafetyEvent(session.at(), "stopped-early", session.route(), "MedicationAdministration/" + session.id()));
            }
        }
        events.sort(Comparator.comparing(SafetyEvent::at));
        return new Safety(peakSystolic, peakDiastolic, peakRise, peakDissociation, lowestSedation,
                adverse, stopped, signals, events);
    }

    private static Double max(Double a, Double b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }
}
