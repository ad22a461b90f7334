package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketafhir.outcomes.PatientOutcome.Change;
import org.ketafhir.outcomes.PatientOutcome.InstrumentOutcome;
import org.ketafhir.outcomes.PatientOutcome.Point;
import org.ketafhir.outcomes.PatientOutcome.Remission;
import org.ketafhir.outcomes.PatientOutcome.Response;
import org.ketafhir.outcomes.PatientOutcome.Session;
import org.ketafhir.scoring.OutcomeThresholds;

/**
 * The course of one instrument's scores: baseline and latest, change, response, remission, time to them, durability,
 * loss of response and rapid response (domain reference, section 6).
 */
final class InstrumentCourse {

    private final OutcomeRules rules;
    private final ScoreSeries scores;
    private final RapidResponses rapid;

    InstrumentCourse(OutcomeRules rules, ScoreSeries scores, RapidResponses rapid) {
        this.rules = rules;
        this.scores = scores;
        this.rapid = rapid;
    }

    InstrumentOutcome of(
            OutcomeInstrument instrument, List<Point> series, Instant first, List<Session> sessions, Instant endOfInduction) {
        OutcomeThresholds t = instrument.thresholds();
        Point baseline = scores.baseline(series, first);
        List<Point> later = first == null ? List.of() : series.stream().filter(p -> p.at().isAfter(first)).toList();
        Point latest = later.isEmpty() ? series.get(series.size() - 1) : later.get(later.size() - 1);
        boolean evaluable = baseline != null && !later.isEmpty();
        if (!evaluable) {
            Integer b = baseline == null ? null : baseline.value();
            return new InstrumentOutcome(instrument, series, baseline, latest, false, Change.NOT_EVALUABLE,
                    new Response(null, b == null ? null : responseThreshold(b, t), null, null, Map.of(), null, null),
                    new Remission(b == null || t.remissionMax() == null ? null : instrument.remissionEvaluable(b),
                            null, t.remissionMax(), null, null),
                    rapid.of(instrument, b, series, sessions));
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
        Change change = new Change(
                b - l,
                b > 0 ? BigDecimal.valueOf((long) (b - l) * 100).divide(BigDecimal.valueOf(b), 1, RoundingMode.HALF_UP) : null,
                t.meaningfulChange() == null ? null : b - l >= t.meaningfulChange(),
                t.worseningIncrease() == null ? null : l - b >= t.worseningIncrease());
        Response response = new Response(
                respondsDefined == null ? null : responds(b, l, t),
                responseThreshold(b, t),
                firstResponse == null ? null : days(first, firstResponse.at()),
                firstResponse == null ? null : sessionsBy(sessions, firstResponse.at()),
                held,
                firstResponse == null ? null : loss != null,
                loss == null ? null : loss.at());
        Remission remission = new Remission(
                remissionEvaluable,
                !Boolean.TRUE.equals(remissionEvaluable) ? null : l <= t.remissionMax(),
                t.remissionMax(),
                firstRemission == null ? null : days(first, firstRemission.at()),
                firstRemission == null ? null : sessionsBy(sessions, firstRemission.at()));
        return new InstrumentOutcome(instrument, series, baseline, latest, true, change, response, remission,
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

    private static int days(Instant from, Instant to) {
        LocalDate a = LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate b = LocalDate.ofInstant(to, ZoneOffset.UTC);
        return (int) ChronoUnit.DAYS.between(a, b);
    }

    private static int sessionsBy(List<Session> sessions, Instant at) {
        return (int) sessions.stream().filter(s -> !s.at().isAfter(at)).count();
    }
}
