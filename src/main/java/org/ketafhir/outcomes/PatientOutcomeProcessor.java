package org.ketafhir.outcomes;

import static org.ketafhir.outcomes.ScoreSeries.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ketafhir.outcomes.PatientOutcome.Exposure;
import org.ketafhir.outcomes.PatientOutcome.InstrumentOutcome;
import org.ketafhir.outcomes.PatientOutcome.Point;
import org.ketafhir.outcomes.PatientOutcome.Session;

/**
 * Computes a patient's outcome summary from the facts of the outcome index (domain reference, section 6). Plain Java:
 * facts and rules in, a {@link PatientOutcome} out. It selects the sessions and scores in scope and hands them to the
 * calculators: {@link InstrumentCourse}, {@link ExposureCalculator}, {@link SuicidalIdeationCourse},
 * {@link SafetyCalculator}.
 *
 * <p>Definitions, as the OperationDefinition documents them: the first session is the first dosing session in scope;
 * the baseline is the last score from {@code baselineWindowDays} before it up to its start; later scores are those
 * after its start up to the end of the period; the latest is the last of them. Days count calendar dates (UTC) from
 * the first session; sessions to an event count the sessions started at or before it.
 */
final class PatientOutcomeProcessor {

    private final OutcomeInstruments instruments;
    private final OutcomeRules rules;
    private final RapidResponses rapid;
    private final ScoreSeries scores;
    private final InstrumentCourse instrumentCourse;
    private final ExposureCalculator exposure;
    private final SuicidalIdeationCourse suicidalIdeation;
    private final SafetyCalculator safety;

    public PatientOutcomeProcessor(OutcomeInstruments instruments, OutcomeRules rules) {
        this.instruments = Objects.requireNonNull(instruments, "instruments");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.rapid = new RapidResponses(rules.rapidResponseHours(), rules.rapidResponseSessions());
        this.scores = new ScoreSeries(rules.baselineWindowDays());
        this.instrumentCourse = new InstrumentCourse(rules, scores, rapid);
        this.exposure = new ExposureCalculator(rules);
        this.suicidalIdeation = new SuicidalIdeationCourse(rules, scores);
        this.safety = new SafetyCalculator(rules);
    }

    public OutcomeRules rules() {
        return rules;
    }

    RapidResponses rapidResponses() {
        return rapid;
    }

    /** The score nearest to a target time, as the instrument course reads timepoints (cohort timepoints alike). */
    Point nearest(List<Point> points, Instant after, Instant target) {
        return instrumentCourse.nearest(points, after, target);
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
        Exposure exposure = this.exposure.of(sessions);

        List<InstrumentOutcome> outcomes = new ArrayList<>();
        Map<String, List<Point>> byCode = ScoreSeries.byCode(facts, FactKind.SCORE);
        for (OutcomeInstrument instrument : instruments.all()) {
            boolean wanted = instrumentsWanted.isEmpty()
                    ? instrument.measuresOutcome()
                    : instrumentsWanted.contains(instrument.codeToken());
            List<Point> series = scores.inScope(byCode.get(instrument.codeToken()), first, periodStart, periodEnd);
            if (wanted && !series.isEmpty()) {
                outcomes.add(instrumentCourse.of(instrument, series, first, sessions, exposure.endOfInduction()));
            }
        }
        List<Instant> psychotherapy = facts.stream()
                .filter(f -> f.kind() == FactKind.PSYCHOTHERAPY && inCourse(f, courseId, periodStart, periodEnd)
                        && within(f.at(), periodStart, periodEnd))
                .map(OutcomeFact::at).sorted().toList();
        return new PatientOutcome(patientId, courseId, periodStart, periodEnd, outcomes,
                suicidalIdeation.of(facts, first, periodStart, periodEnd), exposure, psychotherapy,
                safety.of(facts, sessions, periodStart, periodEnd));
    }

    /** A course's own rows, plus rows that name no course but fall within the period (data from other systems). */
    private static boolean inCourse(OutcomeFact fact, String courseId, Instant start, Instant end) {
        return courseId == null || courseId.equals(fact.courseId()) || (fact.courseId() == null && start != null);
    }
}
