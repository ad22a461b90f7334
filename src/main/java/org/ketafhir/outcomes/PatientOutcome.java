package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one patient's treatment (all courses, or one course): what {@code $outcome-summary} reports.
 * Null stands for "not known / not applicable"; it becomes an absent part on the wire.
 */
record PatientOutcome(
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
     * The course of one instrument: its scores, baseline and latest, and what they show. When it is not
     * {@code evaluable} (no baseline, or no score after the first session) the change and the milestones are null.
     */
    public record InstrumentOutcome(
            OutcomeInstrument instrument,
            List<Point> points,
            Point baseline,
            Point latest,
            boolean evaluable,
            Change change,
            Response response,
            Remission remission,
            List<RapidScore> rapidResponse) {}

    /**
     * From the baseline to the latest score.
     *
     * @param absolute   baseline minus latest (points)
     * @param percent    that fall as a percentage of the baseline (null for a baseline of 0)
     * @param meaningful whether it reaches the instrument's meaningful change (null: none defined)
     * @param worsening  whether the rise reaches the instrument's worsening increase (null: none defined)
     */
    public record Change(Integer absolute, BigDecimal percent, Boolean meaningful, Boolean worsening) {

        static final Change NOT_EVALUABLE = new Change(null, null, null, null);
    }

    /**
     * Response: the fall of the instrument's share of the baseline.
     *
     * @param met              at the latest score (null: not defined, e.g. a baseline of 0, or not evaluable)
     * @param threshold        the score at or below which a score is a response (null: not defined)
     * @param daysToFirst      days from the first session to the first response, and...
     * @param sessionsToFirst  ...the sessions up to it (null: no response)
     * @param heldAtWeek       whether the response held at each durability week after the end of induction
     * @param lost             whether it was lost after the first response (null: no response)
     * @param lostAt           the assessment at which it was lost
     */
    public record Response(
            Boolean met,
            BigDecimal threshold,
            Integer daysToFirst,
            Integer sessionsToFirst,
            Map<Integer, Boolean> heldAtWeek,
            Boolean lost,
            Instant lostAt) {}

    /**
     * Remission. {@code evaluable} is false when the baseline is below the instrument's remission denominator (PHQ-9:
     * 10, CMS159); {@code met} and the days / sessions to the first remission are then null.
     *
     * @param threshold the highest score that is a remission (null: the instrument defines none)
     */
    public record Remission(Boolean evaluable, Boolean met, Integer threshold, Integer daysToFirst, Integer sessionsToFirst) {}

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
