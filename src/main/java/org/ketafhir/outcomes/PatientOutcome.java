package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one patient's treatment (all courses, or one course): what {@code $outcome-summary} reports.
 * Null stands for "not known / not applicable"; it becomes an absent part on the wire.
 */
public record PatientOutcome(
        String patientId,
        String courseId,
        Instant periodStart,
        Instant periodEnd,
        List<InstrumentOutcome> instruments,
        SuicidalIdeation suicidalIdeation,
        Exposure exposure,
        List<Instant> psychotherapySessions,
        Safety safety) {

    /**
     * A score at a time, and the resource it was read from. A score timed only by a date ({@code dateOnly}) is at the
     * start of that day (UTC).
     */
    public record Point(Instant at, int value, String source, boolean dateOnly) {}

    /**
     * Rapid response: the earliest score in one window after one of the first sessions.
     *
     * @param session       the session's number (1 = the first session)
     * @param sessionStart  its start
     * @param windowHours   the window's end, in hours after the start (it begins where the previous window ends)
     * @param point         the earliest score in the window, or null when there is none
     * @param response      whether it meets the response criterion against the baseline (null: not known)
     * @param remission     whether it is a remission (null: not evaluable for remission)
     */
    public record RapidScore(
            int session, Instant sessionStart, int windowHours, Point point, Boolean response, Boolean remission) {}

    /**
     * The course of one instrument. {@code remissionEvaluable} is false when the baseline is below the instrument's
     * remission denominator (PHQ-9: 10, CMS159); remission and days / sessions to remission are then null.
     */
    public record InstrumentOutcome(
            OutcomeInstrument instrument,
            List<Point> points,
            Point baseline,
            Point latest,
            boolean evaluable,
            Integer absoluteChange,
            BigDecimal percentChange,
            Boolean response,
            Boolean remission,
            Boolean meaningfulChange,
            Boolean worsening,
            Integer daysToFirstResponse,
            Integer sessionsToFirstResponse,
            Integer daysToFirstRemission,
            Integer sessionsToFirstRemission,
            Map<Integer, Boolean> responseHeldAtWeek,
            Boolean lossOfResponse,
            Instant lossOfResponseAt,
            BigDecimal responseThreshold,
            Integer remissionThreshold,
            Boolean remissionEvaluable,
            List<RapidScore> rapidResponse) {}

    /** Suicidal-ideation item over the course: positive at baseline, at the latest screen, resolved. */
    public record SuicidalIdeation(
            Boolean baselinePositive, Boolean latestPositive, Boolean resolved, int positiveScreens, List<Point> screens) {}

    /** One dosing session as the summary lists it; {@code end} is the end of dosing, when recorded. */
    public record Session(
            String id, Instant at, String route, Double doseMg, Double mgPerKg, String status, String courseId, Instant end) {}

    /**
     * Dosing exposure. {@code endOfInduction} is the last session within induction-days of the first, and only when the
     * induction was completed (at least induction-sessions of them); a non-completer has none.
     */
    public record Exposure(
            List<Session> sessions,
            Map<String, Integer> sessionsByRoute,
            BigDecimal cumulativeMg,
            BigDecimal meanMgPerKg,
            boolean inductionCompleted,
            Instant endOfInduction) {

        public Instant first() {
            return sessions.isEmpty() ? null : sessions.get(0).at();
        }

        public Instant last() {
            return sessions.isEmpty() ? null : sessions.get(sessions.size() - 1).at();
        }
    }

    /** A safety event: an adverse event, a safety signal, or a session stopped early. */
    public record SafetyEvent(Instant at, String kind, String code, String source) {}

    /** Safety over the course. */
    public record Safety(
            Double peakSystolic,
            Double peakDiastolic,
            Double peakSystolicRise,
            Integer peakDissociation,
            Integer lowestSedation,
            int adverseEvents,
            int sessionsStoppedEarly,
            int safetySignals,
            List<SafetyEvent> events) {}
}
