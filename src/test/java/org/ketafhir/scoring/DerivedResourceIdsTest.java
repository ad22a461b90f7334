package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;

class DerivedResourceIdsTest {

    private static final Coding PHQ9_TOTAL = new Coding("http://loinc.org", "44261-6", null);
    private static final Coding PCL5_CLUSTER_B =
            new Coding("http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument", "pcl-5-cluster-b", null);

    @Test
    void shouldNameTheDerivedResourcesAfterTheResponseAndTheScore() {
        assertThat(DerivedResourceIds.observation("123", PHQ9_TOTAL)).isEqualTo("score-123-44261-6");
        assertThat(DerivedResourceIds.observation("123", PCL5_CLUSTER_B)).isEqualTo("score-123-pcl-5-cluster-b");
        assertThat(DerivedResourceIds.flag("123")).isEqualTo("signal-123");
        assertThat(DerivedResourceIds.task("123")).isEqualTo("signal-review-123");
    }

    @Test
    void shouldNameAnEscalatedFlagAndTaskAfterTheSignalToo() {
        Coding urgent = new Coding("http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument", "phq-9-item-9-urgent", null);
        assertThat(DerivedResourceIds.flag("123", urgent)).isEqualTo("signal-123-phq-9-item-9-urgent");
        assertThat(DerivedResourceIds.task("123", urgent)).isEqualTo("signal-review-123-phq-9-item-9-urgent");
        // "signal-review-" (14) + 40 characters + "-phq-9-item-9-urgent" (20) = 74 > 64: digested, 14 + 1 + 40 = 55
        String longId = "a".repeat(40);
        assertThat(DerivedResourceIds.task(longId, urgent)).hasSize(55).startsWith("signal-review-h")
                .isNotEqualTo(DerivedResourceIds.task(longId));
    }

    @Test
    void shouldGiveTheSameIdEveryTime() {
        assertThat(DerivedResourceIds.observation("qr-a", PHQ9_TOTAL))
                .isEqualTo(DerivedResourceIds.observation("qr-a", PHQ9_TOTAL))
                .isNotEqualTo(DerivedResourceIds.observation("qr-b", PHQ9_TOTAL));
    }

    @Test
    void shouldDigestWhatWouldExceedSixtyFourCharacters() {
        String longId = "a".repeat(64);

        String observation = DerivedResourceIds.observation(longId, PHQ9_TOTAL);
        String cluster = DerivedResourceIds.observation(longId, PCL5_CLUSTER_B);
        String task = DerivedResourceIds.task(longId);

        // "score-" + "h" + 40 hex digits = 47 characters; "signal-review-" + "h" + 40 = 55
        assertThat(observation).hasSize(47).startsWith("score-h").matches("[A-Za-z0-9\\-.]{1,64}");
        assertThat(cluster).hasSize(47).isNotEqualTo(observation);
        assertThat(task).hasSize(55).startsWith("signal-review-h");
        assertThat(DerivedResourceIds.observation("b".repeat(64), PHQ9_TOTAL)).isNotEqualTo(observation);
    }

    @Test
    void shouldRefuseAResponseWithoutId() {
        assertThatThrownBy(() -> DerivedResourceIds.flag(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DerivedResourceIds.observation(" ", PHQ9_TOTAL))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
