package org.ketafhir.outcomes;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.ketafhir.scoring.InstrumentDefinitionException;

/**
 * The remission denominators the guide's Questionnaires declare (extension instrument-remission-denominator): per score
 * code, the lowest baseline that can be counted for remission. PHQ-9 follows CMS159 (index PHQ-9 &gt; 9).
 */
final class RemissionDenominators {

    static final String EXTENSION = "http://ketafhir.org/fhir/StructureDefinition/instrument-remission-denominator";

    private RemissionDenominators() {}

    /** @throws InstrumentDefinitionException when an extension lacks its code or baselineMin, or names a score twice */
    static Map<String, Integer> read(Collection<Questionnaire> questionnaires) {
        Map<String, Integer> byScore = new LinkedHashMap<>();
        for (Questionnaire questionnaire : questionnaires) {
            for (Extension extension : questionnaire.getExtensionsByUrl(EXTENSION)) {
                String where = "Questionnaire " + questionnaire.getUrl() + ", instrument-remission-denominator";
                Extension code = extension.getExtensionByUrl("code");
                Extension low = extension.getExtensionByUrl("baselineMin");
                if (code == null || !(code.getValue() instanceof Coding coding) || !coding.hasSystem() || !coding.hasCode()) {
                    throw new InstrumentDefinitionException(where + ": needs a code (valueCoding with system and code)");
                }
                if (low == null || !(low.getValue() instanceof IntegerType integer) || integer.getValue() == null) {
                    throw new InstrumentDefinitionException(where + ": needs a baselineMin (valueInteger)");
                }
                if (byScore.putIfAbsent(OutcomeCodes.token(coding), integer.getValue()) != null) {
                    throw new InstrumentDefinitionException(where + ": score " + OutcomeCodes.token(coding) + " is named twice");
                }
            }
        }
        return byScore;
    }
}
