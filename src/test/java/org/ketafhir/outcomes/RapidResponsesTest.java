package org.ketafhir.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.ketafhir.outcomes.PatientOutcome.InstrumentOutcome;
import org.ketafhir.outcomes.PatientOutcome.Point;
import org.ketafhir.outcomes.PatientOutcome.RapidScore;
import org.ketafhir.outcomes.PatientOutcome.Session;
import org.junit.jupiter.api.Test;

/**
 * Rapid response with the defaults: windows of 4 and 24 hours after each of the first 2 sessions, consecutive
 * ((start, +4 h], then (+4 h, +24 h]). PHQ-9 from a baseline of 20: response at 10 or less (a fall of 50 %),
 * remission at 4 or less (the baseline 20 is above CMS159's 9, so remission is evaluable).
 */
class RapidResponsesTest {

    private final PatientOutcomeProcessor processor =
            new PatientOutcomeProcessor(PatientOutcomeProcessorTest.INSTRUMENTS, OutcomeDefaults.rules());

    private static Instant hours(Instant from, int minutes) {
        return from.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void shouldReportTheEarliestScoreInEachWindowAfterTheFirstSessions() {
        Instant s1 = Course.DAY_0;                          // 2026-01-05 09:00
        Instant s2 = Course.DAY_0.plus(Duration.ofDays(3)); // 2026-01-08 09:00
        Course course = new Course("rapid").ivInduction(null).phq9(-1, 20)
                .score(Course.PHQ9, hours(s1, 4 * 60), 12)       // 13:00, exactly 4 h: in the 4 h window
                .score(Course.PHQ9, hours(s1, 4 * 60 + 1), 10)   // 13:01, just after 4 h: first of the 24 h window
                .score(Course.PHQ9, hours(s1, 24 * 60), 8)       // day 1 09:00, exactly 24 h: in it, but later
                .phq9DateOnly(4, 9)                              // dated 2026-01-09: 00:00, 15 h after session 2
                .score(Course.PHQ9, hours(s2, 24 * 60 + 1), 6);  // day 4 09:01, just over 24 h after session 2
        InstrumentOutcome phq9 = processor.summarise(course.patient(), course.facts(), null, null, null, Set.of())
                .instruments().get(0);
        List<RapidScore> rapid = phq9.rapidResponse();
        assertThat(rapid).extracting(RapidScore::session, RapidScore::windowHours)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 4), org.assertj.core.groups.Tuple.tuple(1, 24),
                        org.assertj.core.groups.Tuple.tuple(2, 4), org.assertj.core.groups.Tuple.tuple(2, 24));
        // Session 1, 4 h: 12 (20 - 12 = 8 < 10): no response, not a remission.
        assertThat(rapid.get(0).point().value()).isEqualTo(12);
        assertThat(rapid.get(0).response()).isFalse();
        assertThat(rapid.get(0).remission()).isFalse();
        // Session 1, 24 h: the earliest after 4 h is 13:01 (10): 20 - 10 = 10 >= 10, a response; 10 > 4, no remission.
        assertThat(rapid.get(1).point().at()).isEqualTo(hours(s1, 241));
        assertThat(rapid.get(1).response()).isTrue();
        assertThat(rapid.get(1).remission()).isFalse();
        // Session 2, 4 h: nothing within 4 h (the date-only score cannot be placed within hours).
        assertThat(rapid.get(2).point()).isNull();
        assertThat(rapid.get(2).response()).isNull();
        // Session 2, 24 h: the date-only 9 (2026-01-09 00:00 is 15 h after the start) is earlier than day 4 09:01,
        // which is 24 h 1 min after it anyway. 9 <= 10: response.
        assertThat(rapid.get(3).point().value()).isEqualTo(9);
        assertThat(rapid.get(3).point().dateOnly()).isTrue();
        assertThat(rapid.get(3).response()).isTrue();
    }

    @Test
    void shouldNotPlaceADateOnlyScoreWithinHoursButCountItForADay() {
        // An evening session at 21:00; a date-only score of the next day is 00:00, 3 h later by the clock.
        Instant evening = Instant.parse("2026-01-05T21:00:00Z");
        Session session = new Session("s1", evening, Course.IV, 35.0, 0.5, "completed", null, evening.plus(Duration.ofMinutes(40)));
        Point nextDay = new Point(Instant.parse("2026-01-06T00:00:00Z"), 9, null, true);
        List<Point> points = List.of(nextDay);
        // Not in the 4 h window (its time of day is unknown) ...
        assertThat(RapidResponses.earliest(points, evening, null, 0, 4)).isNull();
        // ... but in the 24 h one, counted from the session start rather than from 4 h.
        assertThat(RapidResponses.earliest(points, evening, null, 4, 24)).isEqualTo(nextDay);
        // The same score with a time (00:00 exactly) is 3 h after: in the 4 h window, not in (4 h, 24 h].
        Point timed = new Point(nextDay.at(), 9, null, false);
        assertThat(RapidResponses.earliest(List.of(timed), evening, null, 0, 4)).isEqualTo(timed);
        assertThat(RapidResponses.earliest(List.of(timed), evening, null, 4, 24)).isNull();
        assertThat(session.at()).isEqualTo(evening);
    }

    @Test
    void shouldEndAWindowAtTheNextSession() {
        // Session A at 09:00, session B the next day at 07:00 (22 h later); a score at 08:00 (23 h after A) is B's.
        Instant a = Course.DAY_0;
        Instant b = a.plus(Duration.ofHours(22));
        Point score = new Point(a.plus(Duration.ofHours(23)), 7, null, false);
        assertThat(RapidResponses.earliest(List.of(score), a, b, 4, 24)).isNull();
        assertThat(RapidResponses.earliest(List.of(score), b, null, 0, 4)).isEqualTo(score);
    }

    @Test
    void shouldLeaveResponseUnknownWithoutABaseline() {
        // No score in the 14 days before the first session: the 4 h score is reported, its response is not known.
        Course course = new Course("no-baseline").ivInduction(null).score(Course.PHQ9, hours(Course.DAY_0, 120), 5);
        RapidScore first = processor.summarise(course.patient(), course.facts(), null, null, null, Set.of())
                .instruments().get(0).rapidResponse().get(0);
        assertThat(first.point().value()).isEqualTo(5);
        assertThat(first.response()).isNull();
        assertThat(first.remission()).isNull();
    }
}
