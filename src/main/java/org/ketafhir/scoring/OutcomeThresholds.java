package org.ketafhir.scoring;

import java.math.BigDecimal;

/**
 * Change thresholds declared for a score; any of them may be null when the instrument has none.
 *
 * @param responseDecrease the fall from baseline that counts as response, as a fraction (0.5 = 50 %)
 * @param remissionMax the highest score that counts as remission (PHQ-9 "&lt; 5" is 4)
 * @param meaningfulChange the smallest change in points that is clinically meaningful
 * @param reliableChange the smallest change in points that is reliable
 * @param worseningIncrease the rise in points from baseline that counts as worsening
 */
public record OutcomeThresholds(
        BigDecimal responseDecrease,
        Integer remissionMax,
        Integer meaningfulChange,
        Integer reliableChange,
        Integer worseningIncrease) {

    static final OutcomeThresholds NONE = new OutcomeThresholds(null, null, null, null, null);
}
