package org.ketafhir.dosing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The esketamine course a session belongs to. A course starts with a session that has no esketamine session of the
 * patient in the {@code gap} before it (the first ever, or a re-induction after {@code course-gap-days} without a
 * dose); every session up to the next such gap belongs to it. The course start is where the week count begins, and a
 * session that starts its course is a first dose (checked by the first-dose rule as the first dose ever is).
 *
 * @param start     the start of the course's first session
 * @param firstDose whether the session is that first session (no other session of the course before it)
 */
record EsketamineCourse(Instant start, boolean firstDose) {

    EsketamineCourse {
        Objects.requireNonNull(start, "start");
    }

    /**
     * @param session the session's start
     * @param others  the starts of the patient's other esketamine sessions (any order; later ones are ignored)
     * @param gap     a session at least this long after the previous one starts a new course
     */
    static EsketamineCourse of(Instant session, List<Instant> others, Duration gap) {
        List<Instant> earlier = others.stream()
                .filter(s -> s.isBefore(session))
                .sorted(Comparator.reverseOrder())
                .toList();
        Instant start = session;
        for (Instant previous : earlier) {
            if (Duration.between(previous, start).compareTo(gap) >= 0) {
                break;
            }
            start = previous;
        }
        return new EsketamineCourse(start, start.equals(session));
    }
}
