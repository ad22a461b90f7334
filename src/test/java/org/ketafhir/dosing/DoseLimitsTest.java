package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class DoseLimitsTest {

    @Test
    void theDefaultsShouldBeTheDosingSettingsDefaultsOfTheReadme() {
        // README "Dosing rules": IV warning above 0.75 mg/kg, IM above 1.0, oral/sublingual above 3.0; esketamine in
        // 28 mg devices, 56 mg on day 1, at most 84 mg a session
        DoseLimits limits = DoseLimits.defaults();

        assertThat(limits.ivWarningMgPerKg()).isEqualByComparingTo(new BigDecimal("0.75"));
        assertThat(limits.imWarningMgPerKg()).isEqualByComparingTo(new BigDecimal("1.0"));
        assertThat(limits.oralWarningMgPerKg()).isEqualByComparingTo(new BigDecimal("3.0"));
        assertThat(limits.esketamineDeviceMg()).isEqualTo(28);
        assertThat(limits.esketamineFirstDoseMg()).isEqualTo(56);
        assertThat(limits.esketamineMaxDoseMg()).isEqualTo(84);
    }
}
