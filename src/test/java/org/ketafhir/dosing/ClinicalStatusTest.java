package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which recorded Conditions and AllergyIntolerances the contraindication rules count, by HL7 status code. */
class ClinicalStatusTest {

    @ParameterizedTest(name = "condition verification {0}: counted {1}")
    @CsvSource({"confirmed, true", "provisional, true", "unconfirmed, true", "differential, true", "refuted, false",
        "entered-in-error, false", "not-a-code, true"})
    void aConditionShouldCountUnlessRefutedOrEnteredInError(String verification, boolean counted) {
        assertThat(DosingRecords.conditionStands(verification)).isEqualTo(counted);
    }

    @ParameterizedTest(name = "condition clinical status {0}: current {1}")
    @CsvSource({"active, true", "recurrence, true", "relapse, true", "inactive, false", "remission, false",
        "resolved, false", "not-a-code, false"})
    void aConditionShouldBeCurrentWhenActiveRecurringOrRelapsed(String clinical, boolean current) {
        assertThat(DosingRecords.conditionCurrent(clinical)).isEqualTo(current);
    }

    @ParameterizedTest(name = "allergy verification {0}: counted {1}")
    @CsvSource({"confirmed, true", "unconfirmed, true", "refuted, false", "entered-in-error, false"})
    void anAllergyShouldCountUnlessRefutedOrEnteredInError(String verification, boolean counted) {
        assertThat(DosingRecords.allergyStands(verification)).isEqualTo(counted);
    }

    @ParameterizedTest(name = "allergy clinical status {0}: current {1}")
    @CsvSource({"active, true", "inactive, false", "resolved, false"})
    void anAllergyShouldBeCurrentOnlyWhenActive(String clinical, boolean current) {
        assertThat(DosingRecords.allergyCurrent(clinical)).isEqualTo(current);
    }

    @Test
    void noStatusRecordedShouldCountAsStandingAndCurrent() {
        assertThat(DosingRecords.conditionStands(null)).isTrue();
        assertThat(DosingRecords.conditionCurrent(null)).isTrue();
        assertThat(DosingRecords.allergyStands(null)).isTrue();
        assertThat(DosingRecords.allergyCurrent(null)).isTrue();
    }
}
