package org.ketafhir.outcomes;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.ketafhir.outcomes.PatientOutcome.Point;
import org.ketafhir.outcomes.PatientOutcome.SuicidalIdeation;

/** The suicidal-ideation item over the course: positive at baseline, at the latest screen, resolved. */
final class SuicidalIdeationCourse {

    private final OutcomeRules rules;
    private final ScoreSeries scores;

    SuicidalIdeationCourse(OutcomeRules rules, ScoreSeries scores) {
        this.rules = rules;
        this.scores = scores;
    }

    SuicidalIdeation of(List<OutcomeFact> facts, Instant first, Instant start, Instant end) {
        List<Point> all = ScoreSeries.byCode(facts, FactKind.SUICIDAL_IDEATION).values().stream().flatMap(List::stream)
                .sorted(Comparator.comparing(Point::at)).toList();
        List<Point> screens = scores.inScope(all, first, start, end);
        if (screens.isEmpty()) {
            return new SuicidalIdeation(null, null, null, 0, List.of());
        }
        int positiveAt = rules.suicidalIdeationPositiveAt();
        Point baseline = scores.baseline(screens, first);
        List<Point> later = first == null ? screens : screens.stream().filter(p -> p.at().isAfter(first)).toList();
        Point latest = later.isEmpty() ? null : later.get(later.size() - 1);
        Boolean baselinePositive = baseline == null ? null : baseline.value() >= positiveAt;
        Boolean latestPositive = latest == null ? null : latest.value() >= positiveAt;
        Boolean resolved = Boolean.TRUE.equals(baselinePositive) && latestPositive != null ? !latestPositive : null;
        int positives = (int) screens.stream().filter(p -> p.value() >= positiveAt).count();
        return new SuicidalIdeation(baselinePositive, latestPositive, resolved, positives, screens);
    }
}
