package org.ketafhir.outcomes;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.ketafhir.scoring.OutcomeThresholds;
import org.ketafhir.scoring.SeverityBand;

/**
 * An instrument total as an outcome summary sees it: its code, bands and change thresholds, all read from the
 * guide's Questionnaire (see {@link OutcomeInstruments}).
 *
 * @param id            the Questionnaire id ({@code phq-9})
 * @param questionnaire the Questionnaire's canonical URL
 * @param title         the name a clinician knows it by
 * @param code          the total-score code
 * @param bands         the severity bands
 * @param thresholds    response, remission, meaningful-change and worsening thresholds (any may be null)
 * @param remissionBaselineMin the lowest baseline counted for remission (extension instrument-remission-denominator),
 *                      or null when the Questionnaire declares none
 */
record OutcomeInstrument(
        String id, String questionnaire, String title, Coding code, List<SeverityBand> bands, OutcomeThresholds thresholds,
        Integer remissionBaselineMin) {

    public OutcomeInstrument {
        bands = List.copyOf(bands);
    }

    public String codeToken() {
        return code.getSystem() + "|" + code.getCode();
    }

    public Optional<SeverityBand> bandFor(int value) {
        return bands.stream().filter(b -> b.contains(value)).findFirst();
    }

    /**
     * Whether a patient with this baseline can be counted for remission: the instrument has a remission threshold and the
     * baseline is at least its remission denominator's baselineMin; without one, above the remission threshold (a
     * baseline already in remission cannot remit).
     */
    public boolean remissionEvaluable(int baseline) {
        Integer max = thresholds.remissionMax();
        if (max == null) {
            return false;
        }
        return remissionBaselineMin != null ? baseline >= remissionBaselineMin : baseline > max;
    }

    /** Whether the instrument measures an outcome (it has any change threshold), rather than a session state (CADSS). */
    public boolean measuresOutcome() {
        return thresholds.responseDecrease() != null || thresholds.remissionMax() != null
                || thresholds.meaningfulChange() != null || thresholds.worseningIncrease() != null;
    }
}
