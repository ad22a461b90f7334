package org.ketafhir.outcomes;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ketafhir.outcomes.PatientOutcome.Point;

/**
 * Scores over time, as every calculator of a summary reads them: the facts of one kind as series by code, which of
 * them are in scope, and the baseline (the last score from {@code baselineWindowDays} before the first session up to
 * its start).
 */
final class ScoreSeries {

    private final int baselineWindowDays;

    ScoreSeries(int baselineWindowDays) {
        this.baselineWindowDays = baselineWindowDays;
    }

    static boolean within(Instant at, Instant start, Instant end) {
        return at != null && (start == null || !at.isBefore(start)) && (end == null || !at.isAfter(end));
    }

    /** The facts of a kind with a time and a value, by code, in time order. */
    static Map<String, List<Point>> byCode(List<OutcomeFact> facts, FactKind kind) {
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
    List<Point> inScope(List<Point> all, Instant first, Instant start, Instant end) {
        if (all == null) {
            return List.of();
        }
        Instant windowStart = first == null ? start : earliest(start, baselineWindowStart(first));
        return all.stream().filter(p -> within(p.at(), windowStart, end)).toList();
    }

    /** The last score of the baseline window, or null (also when there is no first session). */
    Point baseline(List<Point> series, Instant first) {
        return first == null ? null : series.stream()
                .filter(p -> !p.at().isAfter(first) && !p.at().isBefore(baselineWindowStart(first)))
                .reduce((a, b) -> b).orElse(null);
    }

    private Instant baselineWindowStart(Instant first) {
        return first.minus(Duration.ofDays(baselineWindowDays));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? null : a.isBefore(b) ? a : b;
    }
}
