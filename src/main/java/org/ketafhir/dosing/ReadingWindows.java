package org.ketafhir.dosing;

import java.time.Duration;
import java.time.Instant;

/**
 * The time windows in which a session's readings count, from the dosing settings ({@code ketafhir.dosing.*}): the
 * dosing rules read a session's vital signs in them, and the outcome summaries assign a reading to a session by them,
 * so a reading counts for one exactly when it counts for the other.
 *
 * @param preDoseWindowMinutes  pre-dose: at most this many minutes before the start, up to the start
 *                              ({@code ketafhir.dosing.blood-pressure.pre-dose-window-minutes})
 * @param postDoseToMinutes     post-dose: after the start up to at least this many minutes after it
 *                              ({@code ketafhir.dosing.blood-pressure.post-dose-to-minutes})...
 * @param minObservationMinutes ...or to this many minutes after the end of the session, whichever is later
 *                              ({@code ketafhir.dosing.esketamine.min-observation-minutes})
 */
public record ReadingWindows(int preDoseWindowMinutes, int postDoseToMinutes, int minObservationMinutes) {

    static ReadingWindows of(DosingProperties properties) {
        return new ReadingWindows(properties.bloodPressure().preDoseWindowMinutes(),
                properties.bloodPressure().postDoseToMinutes(), properties.esketamine().minObservationMinutes());
    }

    /** The earliest time of a pre-dose reading. */
    public Instant preDoseFrom(Instant start) {
        return start.minus(Duration.ofMinutes(preDoseWindowMinutes));
    }

    /**
     * The latest time of a post-dose reading: the later of the start plus post-dose-to-minutes and the end plus
     * min-observation-minutes.
     *
     * @param end the recorded end of observation, else the end of dosing, else the start
     */
    public Instant readingsUntil(Instant start, Instant end) {
        Instant byStart = start.plus(Duration.ofMinutes(postDoseToMinutes));
        Instant byEnd = end.plus(Duration.ofMinutes(minObservationMinutes));
        return byStart.isAfter(byEnd) ? byStart : byEnd;
    }

    public boolean isPreDose(Instant start, Instant at) {
        return !at.isBefore(preDoseFrom(start)) && !at.isAfter(start);
    }

    /** @param end as for {@link #readingsUntil} */
    public boolean isPostDose(Instant start, Instant end, Instant at) {
        return at.isAfter(start) && !at.isAfter(readingsUntil(start, end));
    }
}
