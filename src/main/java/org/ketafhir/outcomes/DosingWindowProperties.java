package org.ketafhir.outcomes;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The dosing rules' own reading windows, read (not copied) from {@code ketafhir.dosing.*} so that the outcome summaries
 * assign a vital sign to a session as the dosing rules do. The defaults are the dosing rules' defaults; the dosing
 * settings document the keys.
 */
@Validated
@ConfigurationProperties("ketafhir.dosing")
record DosingWindowProperties(
        @DefaultValue @NotNull @Valid BloodPressure bloodPressure,
        @DefaultValue @NotNull @Valid Esketamine esketamine) {

    record BloodPressure(
            @DefaultValue("60") @Positive(
                    message = "ketafhir.dosing.blood-pressure.pre-dose-window-minutes must be at least 1") int preDoseWindowMinutes,
            @DefaultValue("60") @Positive(
                    message = "ketafhir.dosing.blood-pressure.post-dose-to-minutes must be greater than 0") int postDoseToMinutes) {}

    record Esketamine(
            @DefaultValue("120") @PositiveOrZero(
                    message = "ketafhir.dosing.esketamine.min-observation-minutes must not be negative") int minObservationMinutes) {}

    SessionWindows windows() {
        return new SessionWindows(bloodPressure.preDoseWindowMinutes(), bloodPressure.postDoseToMinutes(),
                esketamine.minObservationMinutes());
    }
}
