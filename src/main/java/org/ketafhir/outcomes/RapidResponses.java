package org.ketafhir.outcomes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ketafhir.outcomes.PatientOutcome.Point;
import org.ketafhir.outcomes.PatientOutcome.RapidScore;
import org.ketafhir.outcomes.PatientOutcome.Session;

/**
 * Rapid response, the effect ketamine is given for: after each of the first sessions, for each window (hours after
 * the session start), the earliest score in the window and whether it meets response and remission.
 *
 * <p>Windows are consecutive: with 4 and 24 hours, the first spans (start, start + 4 h], the second
 * (start + 4 h, start + 24 h], so the 24 h figure is the next assessment, not the 4 h one again. A window also ends at
 * the next session's start (a later score belongs to that session). A score timed only by a date is at the start of
 * its day (UTC); its time of day is unknown, so it never counts for a window shorter than 24 hours and, for a longer
 * one, counts from the session start (the earlier windows' ends do not apply to it).
 */
final class RapidResponses {

    private static final int DAY_HOURS = 24;

    private final List<Integer> hours;
    private final int firstSessions;

    /** @param hours window ends in hours, ascending; @param firstSessions how many first sessions are reported */
    RapidResponses(List<Integer> hours, int firstSessions) {
        this.hours = hours.stream().sorted().distinct().toList();
        this.firstSessions = firstSessions;
    }

    /** @param baseline the baseline score, or null when there is none (response and remission are then unknown) */
    List<RapidScore> of(OutcomeInstrument instrument, Integer baseline, List<Point> points, List<Session> sessions) {
        List<RapidScore> result = new ArrayList<>();
        for (int n = 0; n < Math.min(firstSessions, sessions.size()); n++) {
            Session session = sessions.get(n);
            Instant next = n + 1 < sessions.size() ? sessions.get(n + 1).at() : null;
            int from = 0;
            for (int to : hours) {
                Point point = earliest(points, session.at(), next, from, to);
                result.add(new RapidScore(n + 1, session.at(), to, point,
                        point == null ? null : response(instrument, baseline, point.value()),
                        point == null ? null : remission(instrument, baseline, point.value())));
                from = to;
            }
        }
        return result;
    }

    /**
     * The earliest score in the window that ends {@code toHours} after the first session, as the patient summary
     * reports it (it begins at the end of the previous configured window): the cohort's rate at 24 hours.
     */
    Point afterFirstSession(List<Point> points, List<Session> sessions, int toHours) {
        if (sessions.isEmpty()) {
            return null;
        }
        int from = hours.stream().filter(h -> h < toHours).mapToInt(Integer::intValue).max().orElse(0);
        return earliest(points, sessions.get(0).at(), sessions.size() > 1 ? sessions.get(1).at() : null, from, toHours);
    }

    /** The earliest score after {@code start} in the window (fromHours, toHours], before {@code next} when given. */
    static Point earliest(List<Point> points, Instant start, Instant next, int fromHours, int toHours) {
        Instant end = start.plus(Duration.ofHours(toHours));
        for (Point point : points) {
            Instant lower = point.dateOnly() ? start : start.plus(Duration.ofHours(fromHours));
            boolean inWindow = point.at().isAfter(lower) && !point.at().isAfter(end)
                    && (next == null || point.at().isBefore(next))
                    && (!point.dateOnly() || toHours >= DAY_HOURS);
            if (inWindow) {
                return point; // points are in time order
            }
        }
        return null;
    }

    static Boolean response(OutcomeInstrument instrument, Integer baseline, int value) {
        if (baseline == null || baseline <= 0 || instrument.thresholds().responseDecrease() == null) {
            return null;
        }
        return InstrumentCourse.responds(baseline, value, instrument.thresholds());
    }

    static Boolean remission(OutcomeInstrument instrument, Integer baseline, int value) {
        if (baseline == null || !instrument.remissionEvaluable(baseline)) {
            return null;
        }
        return value <= instrument.thresholds().remissionMax();
    }
}
