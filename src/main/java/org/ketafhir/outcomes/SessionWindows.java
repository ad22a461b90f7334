package org.ketafhir.outcomes;

import java.time.Duration;
import java.time.Instant;
import org.ketafhir.outcomes.PatientOutcome.Session;

/**
 * The time windows in which the dosing rules read a session's vital signs, taken from the dosing settings
 * ({@code ketafhir.dosing.*}, bound by {@link DosingWindowProperties}) so that a reading counts for the outcome
 * summary's safety figures exactly when it counts for the dosing rules.
 *
 * @param preDoseWindowMinutes   pre-dose: at most this many minutes before the start, up to the start
 *                               ({@code ketafhir.dosing.blood-pressure.pre-dose-window-minutes})
 * @param postDoseToMinutes      post-dose: after the start up to at least this many minutes after it
 *                               ({@code ketafhir.dosing.blood-pressure.post-dose-to-minutes})...
 * @param minObservationMinutes  ...or to this many minutes after the end of dosing, whichever is later
 *                               ({@code ketafhir.dosing.esketamine.min-observation-minutes}, as the dosing rules read it)
 */
public record SessionWindows(int preDoseWindowMinutes, int postDoseToMinutes, int minObservationMinutes) {

    /** The dosing rules' defaults: 60 min before, 60 min after the start, 120 min after the end of dosing. */
    public static SessionWindows defaults() {
        return new SessionWindows(60, 60, 120);
    }

    Instant preDoseFrom(Session session) {
        return session.at().minus(Duration.ofMinutes(preDoseWindowMinutes));
    }

    /** The later of start + post-dose-to-minutes and end of dosing (the start when unknown) + min-observation-minutes. */
    Instant observationEnd(Session session) {
        Instant byStart = session.at().plus(Duration.ofMinutes(postDoseToMinutes));
        Instant byEnd = (session.end() == null ? session.at() : session.end()).plus(Duration.ofMinutes(minObservationMinutes));
        return byStart.isAfter(byEnd) ? byStart : byEnd;
    }

    boolean isPreDose(Session session, Instant at) {
        return !at.isBefore(preDoseFrom(session)) && !at.isAfter(session.at());
    }

    boolean isPostDose(Session session, Instant at) {
        return at.isAfter(session.at()) && !at.isAfter(observationEnd(session));
    }
}
