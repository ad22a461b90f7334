package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.DEFAULTS;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.Finding.Severity;

/** Contraindications recorded on the patient. At, just under and just over each threshold, on the default settings. */
class ContraindicationRulesTest {

    private final Map<String, DosingProperties.Contraindication> groups = DEFAULTS.contraindications();

    @Test
    void shouldClassifyByCodePrefixAndExactCode() {
        List<DosingFacts.Contraindicated> found = DosingRules.classify(groups, List.of(
                new DosingRules.CodedRecord("Condition/1", "http://hl7.org/fhir/sid/icd-10-cm", "I71.2", true),
                new DosingRules.CodedRecord("AllergyIntolerance/2", "http://www.nlm.nih.gov/research/umls/rxnorm", "6130", true),
                new DosingRules.CodedRecord("Condition/3", "http://hl7.org/fhir/sid/icd-10-cm", "F33.2", true)));

        assertThat(found).extracting(DosingFacts.Contraindicated::group)
                .containsExactly("aneurysmal-vascular-disease", "ketamine-hypersensitivity");
        assertThat(found).allMatch(c -> c.severity() == Severity.ERROR);
    }

    @Test
    void shouldNotMatchALongerCodeAgainstAnExactOne() {
        // I67.1 is listed exactly; I67.10 is not; rxnorm 61301 is not 6130
        assertThat(DosingRules.classify(groups, List.of(
                new DosingRules.CodedRecord("Condition/1", "http://hl7.org/fhir/sid/icd-10-cm", "I67.10", true),
                new DosingRules.CodedRecord("AllergyIntolerance/2", "http://www.nlm.nih.gov/research/umls/rxnorm", "61301", true))))
                .isEmpty();
    }

    @Test
    void shouldCountAResolvedHistoryButNotAResolvedPregnancy() {
        List<DosingFacts.Contraindicated> found = DosingRules.classify(groups, List.of(
                new DosingRules.CodedRecord("Condition/1", "http://hl7.org/fhir/sid/icd-10-cm", "I61.9", false),
                new DosingRules.CodedRecord("Condition/2", "http://hl7.org/fhir/sid/icd-10-cm", "Z33.1", false),
                new DosingRules.CodedRecord("Condition/3", "http://hl7.org/fhir/sid/icd-10-cm", "F20.9", false)));

        assertThat(found).extracting(DosingFacts.Contraindicated::group)
                .containsExactly("intracerebral-haemorrhage", "psychosis-history");
    }

    @Test
    void shouldRefuseOnAnErrorContraindicationEvenWithAnOverrideAndWarnOnAWarningOne() {
        Case c = Case.iv("40");
        c.overridden = true;
        c.contraindications = List.of(
                new DosingFacts.Contraindicated("arteriovenous-malformation", Severity.ERROR, "Condition/1 coded x|Q28.2"),
                new DosingFacts.Contraindicated("pregnancy", Severity.WARNING, "Condition/2 coded x|Z33.1"));

        DosingRules.Evaluation evaluation = c.evaluate();

        assertThat(evaluation.errors()).extracting(Finding::rule).containsExactly("contraindication-arteriovenous-malformation");
        assertThat(evaluation.warnings()).extracting(Finding::rule).containsExactly("contraindication-pregnancy");
    }
}
