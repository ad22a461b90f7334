package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.bp;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.Finding.Severity;

/**
 * Esketamine discharge after an elevated ~40 min blood pressure (above 140/90 in the 30-60 min window): the last
 * reading up to post-dose-observation-end (+130 min here) must be at or below 140/90. At, just under and just over
 * each threshold, on the default settings.
 */
class PostDoseDeclineTest {

    @Test
    void shouldWarnWhenNoReadingFollowsAnElevated40MinuteReading() {
        // 141/85 at +40 min (systolic above 140), nothing later: discharged with it elevated
        Case c = esketamine(bp(141, 85, 40));

        assertThat(rules(c.evaluate())).containsExactly("bp-post-elevated", "bp-post-not-declined");
        Finding warning = only(c.evaluate(), "bp-post-not-declined");
        assertThat(warning.severity()).isEqualTo(Severity.WARNING);
        assertThat(warning.overridable()).isFalse();
        assertThat(warning.measured()).isEqualTo("last reading before discharge 141/85 mmHg at 40 min after the start");
        assertThat(warning.threshold())
                .isEqualTo("a reading at or below 140/90 mmHg after the elevated one, by post-dose-observation-end");
    }

    @Test
    void shouldAcceptALaterReadingAtTheWarningLevel() {
        // 141/85 at +40, 140/90 at +90: 140/90 is not above 140/90, so it declined
        Case c = esketamine(bp(141, 85, 40), bp(140, 90, 90));

        assertThat(rules(c.evaluate())).containsExactly("bp-post-elevated");
    }

    @Test
    void shouldWarnWhenTheLaterReadingIsStillElevated() {
        // 141/85 at +40, 138/91 at +100: the diastolic 91 is above 90
        Case c = esketamine(bp(141, 85, 40), bp(138, 91, 100));

        assertThat(only(c.evaluate(), "bp-post-not-declined").measured())
                .isEqualTo("last reading before discharge 138/91 mmHg at 100 min after the start");
    }

    @Test
    void shouldCountAReadingAtDischargeButNotOneMinuteAfter() {
        // discharge at +130: 130/80 at +130 counts, at +131 it is after discharge and the last one before is +40
        Case at = esketamine(bp(141, 85, 40), bp(130, 80, 130));
        Case after = esketamine(bp(141, 85, 40), bp(130, 80, 131));

        assertThat(rules(at.evaluate())).containsExactly("bp-post-elevated");
        assertThat(rules(after.evaluate())).containsExactly("bp-post-elevated", "bp-post-not-declined");
    }

    @Test
    void shouldNotAskForALaterReadingWhenThe40MinuteReadingWasNotElevated() {
        // 140/90 at +40: not above the warning level
        assertThat(esketamine(bp(140, 90, 40)).evaluate().findings()).isEmpty();
    }

    private static Case esketamine(DosingFacts.BloodPressure... post) {
        Case c = Case.esketamine(56);
        c.bloodPressures = new ArrayList<>(List.of(bp(120, 80, -10)));
        c.bloodPressures.addAll(List.of(post));
        return c;
    }
}
