package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.START;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.Finding.Severity;

/**
 * The esketamine schedule beyond weeks 1-4: the minimum interval between two sessions (24 h), weeks 5-8 (at most one
 * a week, warning) and a new course after 56 days without a dose. At, just under and just over each threshold, on the
 * default settings. Every session here is 56 mg with its readings, so only the schedule is at stake.
 */
class EsketamineScheduleTest {

    private static final Duration GAP = Duration.ofDays(56);

    @Test
    void shouldAcceptASessionExactly24HoursAfterTheLastOne() {
        // 24 h apart: not under the 24 h minimum; 2 sessions in course week 1 is the induction maximum
        Case c = Case.esketamine(56);
        c.otherEsketamineStarts(START.minus(Duration.ofHours(24)));

        assertThat(c.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldRefuseASessionOneMinuteUnder24HoursAfterTheLastOneUnlessOverridden() {
        // 23 h 59 min apart: under 24 h; 24 h 1 min apart is over it
        Case under = Case.esketamine(56);
        under.otherEsketamineStarts(START.minus(Duration.ofHours(24)).plusSeconds(60));
        Case over = Case.esketamine(56);
        over.otherEsketamineStarts(START.minus(Duration.ofHours(24)).minusSeconds(60));
        Case overridden = Case.esketamine(56);
        overridden.otherEsketamineStarts(START.minus(Duration.ofHours(24)).plusSeconds(60));
        overridden.overridden = true;

        Finding error = only(under.evaluate(), "esketamine-min-interval");
        assertThat(rules(under.evaluate())).containsExactly("esketamine-min-interval");
        assertThat(error.severity()).isEqualTo(Severity.ERROR);
        assertThat(error.overridable()).isTrue();
        assertThat(error.measured()).isEqualTo("23 h 59 min from another esketamine session");
        assertThat(error.threshold()).isEqualTo("at least 24 h between sessions");
        assertThat(over.evaluate().findings()).isEmpty();
        assertThat(only(overridden.evaluate(), "esketamine-min-interval").severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void shouldRefuseTwoSessionsOnTheSameDay() {
        // the first dose at 05:00, this one at 09:00: 4 h apart
        Case c = Case.esketamine(56);
        c.otherEsketamineStarts(START.minus(Duration.ofHours(4)));

        assertThat(only(c.evaluate(), "esketamine-min-interval").measured()).isEqualTo("4 h 0 min from another esketamine session");
    }

    @Test
    void shouldCountASessionRecordedLaterButDatedEarlierTheSameWay() {
        // the other session 3 h after this one: 3 h apart, whichever was stored first
        Case c = Case.esketamine(56);
        c.otherEsketamineStarts(START.plus(Duration.ofHours(3)));

        assertThat(only(c.evaluate(), "esketamine-min-interval").measured()).isEqualTo("3 h 0 min from another esketamine session");
    }

    @Test
    void shouldWarnOnASecondSessionInCourseWeek5() {
        // course starts at day 0; week 5 covers days 28-34: day 28 and this one at day 31 are 2 sessions, over 1
        Instant course = START.minus(Duration.ofDays(31));
        Case c = Case.esketamine(56);
        c.otherEsketamineStarts(course, course.plus(Duration.ofDays(28)));

        Finding warning = only(c.evaluate(), "esketamine-continuation-frequency");
        assertThat(rules(c.evaluate())).containsExactly("esketamine-continuation-frequency");
        assertThat(warning.severity()).isEqualTo(Severity.WARNING);
        assertThat(warning.measured()).isEqualTo("2 sessions in course week 5");
        assertThat(warning.threshold()).isEqualTo("at most 1 session a week in weeks 5-8");
    }

    @Test
    void shouldAcceptOneSessionInCourseWeek5AfterTwoInWeek4() {
        // days 24 and 27 are in week 4 (days 21-27, 2 sessions, the induction maximum); this one at day 28 is alone
        // in week 5
        Instant course = START.minus(Duration.ofDays(28));
        Case c = Case.esketamine(56);
        c.otherEsketamineStarts(course, course.plus(Duration.ofDays(24)), course.plus(Duration.ofDays(27)));

        assertThat(c.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldCheckWeek8ButNotWeek9() {
        // weekly sessions at days 0, 28, 35, 42, 49 keep the course alive (no 56-day gap). Week 8 covers days
        // 49-55: this one at day 55 makes 2 there. Week 9 starts at day 56: at day 56 it is alone in week 9 with
        // the day-57 session of another case, and week 9 is not checked
        Instant course8 = START.minus(Duration.ofDays(55));
        Case week8 = Case.esketamine(56);
        week8.otherEsketamineStarts(course8, course8.plus(Duration.ofDays(28)), course8.plus(Duration.ofDays(35)),
                course8.plus(Duration.ofDays(42)), course8.plus(Duration.ofDays(49)));
        Instant course9 = START.minus(Duration.ofDays(56));
        Case week9 = Case.esketamine(56);
        week9.otherEsketamineStarts(course9, course9.plus(Duration.ofDays(28)), course9.plus(Duration.ofDays(35)),
                course9.plus(Duration.ofDays(42)), course9.plus(Duration.ofDays(49)), course9.plus(Duration.ofDays(58)));

        assertThat(only(week8.evaluate(), "esketamine-continuation-frequency").measured())
                .isEqualTo("2 sessions in course week 8");
        assertThat(week9.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldCheckTheFirstDoseAgainAfter56DaysWithoutADose() {
        // the previous session 56 days before: a new course, so 84 mg is a first dose (56 mg expected at age 40);
        // 55 days 23 h 59 min before: the same course, and 84 mg is a later dose of it (alone in course week 8)
        Case reinduction84 = Case.esketamine(84);
        reinduction84.otherEsketamineStarts(START.minus(GAP));
        Case reinduction56 = Case.esketamine(56);
        reinduction56.otherEsketamineStarts(START.minus(GAP));
        Case sameCourse84 = Case.esketamine(84);
        sameCourse84.otherEsketamineStarts(START.minus(GAP).plusSeconds(60));

        assertThat(rules(reinduction84.evaluate())).containsExactly("esketamine-first-dose");
        assertThat(reinduction56.evaluate().findings()).isEmpty();
        assertThat(sameCourse84.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldCountInductionWeeksFromTheReinductionNotTheFirstDoseEver() {
        // a dose 70 days ago, then none for 68 days: the course restarts 2 days ago, so days -2, -1 and today are 3
        // sessions in week 1 of the new course (counted from the first dose ever, today would be week 11, unchecked)
        Case c = Case.esketamine(56);
        c.otherEsketamineStarts(START.minus(Duration.ofDays(70)), START.minus(Duration.ofDays(2)),
                START.minus(Duration.ofDays(1)));

        assertThat(only(c.evaluate(), "esketamine-induction-frequency").measured()).isEqualTo("3 sessions in course week 1");
    }

    @Test
    void theCourseShouldStartAtTheFirstSessionAfterTheLastGap() {
        Instant t = START;
        // no earlier session: the session starts its course
        assertThat(EsketamineCourse.of(t, List.of(), GAP)).isEqualTo(new EsketamineCourse(t, true));
        // later sessions do not matter
        assertThat(EsketamineCourse.of(t, List.of(t.plus(Duration.ofDays(1))), GAP)).isEqualTo(new EsketamineCourse(t, true));
        // -100 d, then a 56-day gap to -44 d, then -10 d (34 days later) and t (10 days later): the course starts at -44 d
        Instant reinduction = t.minus(Duration.ofDays(44));
        assertThat(EsketamineCourse.of(t, List.of(t.minus(Duration.ofDays(10)), t.minus(Duration.ofDays(100)), reinduction), GAP))
                .isEqualTo(new EsketamineCourse(reinduction, false));
        // 55 d and 56 d before: a gap of exactly 56 days ends the course, one day less does not
        assertThat(EsketamineCourse.of(t, List.of(t.minus(Duration.ofDays(56))), GAP)).isEqualTo(new EsketamineCourse(t, true));
        assertThat(EsketamineCourse.of(t, List.of(t.minus(Duration.ofDays(55))), GAP))
                .isEqualTo(new EsketamineCourse(t.minus(Duration.ofDays(55)), false));
    }
}
