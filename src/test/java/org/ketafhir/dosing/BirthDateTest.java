package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingRecords.BirthDate;

/** The age the first-dose rule uses, from a full or partial Patient.birthDate. */
class BirthDateTest {

    @Test
    void aFullDateShouldGiveTheAgeOnTheDay() {
        // born 1960-07-15: 65 on 2026-07-14, 66 on 2026-07-15 (the birthday)
        BirthDate born = BirthDate.parse("1960-07-15");
        assertThat(born.ageAt(LocalDate.parse("2026-07-14"))).contains(65);
        assertThat(born.ageAt(LocalDate.parse("2026-07-15"))).contains(66);
    }

    @Test
    void aYearMonthShouldGiveTheAgeOnlyWhenEveryDayOfTheMonthAgrees() {
        // born in 1960-07 (1 to 31 July): on 2026-06-30 every birth day gives 65; on 2026-07-15 the 1st gives 66
        // and the 31st 65: unknown; on 2026-07-31 every day gives 66. The old code read 1960-07 as 1960-01-01 and
        // made the patient 66 from 2026-01-01.
        BirthDate born = BirthDate.parse("1960-07");
        assertThat(born.ageAt(LocalDate.parse("2026-06-30"))).contains(65);
        assertThat(born.ageAt(LocalDate.parse("2026-07-15"))).isEmpty();
        assertThat(born.ageAt(LocalDate.parse("2026-07-31"))).contains(66);
    }

    @Test
    void aYearShouldGiveTheAgeOnlyOnTheLastDayOfTheYear() {
        // born in 1960: on 2026-12-30 the 1st of January gives 66 and the 31st of December 65: unknown; on 2026-12-31
        // both give 66
        BirthDate born = BirthDate.parse("1960");
        assertThat(born.ageAt(LocalDate.parse("2026-12-30"))).isEmpty();
        assertThat(born.ageAt(LocalDate.parse("2026-12-31"))).contains(66);
    }

    @Test
    void aYearMonthInFebruaryOfALeapYearShouldEndOnThe29th() {
        // born in 2000-02 (1 to 29 February): 26 on 2026-03-01 for every day
        assertThat(BirthDate.parse("2000-02").latest()).isEqualTo(LocalDate.parse("2000-02-29"));
        assertThat(BirthDate.parse("2000-02").ageAt(LocalDate.parse("2026-03-01"))).contains(26);
    }
}
