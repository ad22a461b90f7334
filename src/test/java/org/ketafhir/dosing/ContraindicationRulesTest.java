package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.Finding.Severity;
import org.ketafhir.ig.GuidePackage;

/**
 * Contraindications recorded on the patient, on the guide's groups (CodeSystem ketafhir-dosing-rule, ValueSets
 * ketafhir-contraindication-*). At, just under and just over each code: a listed ICD-10-CM code, a descendant of it, a
 * sibling that is not listed.
 */
class ContraindicationRulesTest {

    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";
    private static final String SNOMED = "http://snomed.info/sct";
    private static final DosingRuleCatalogue CATALOGUE = DosingRuleCatalogue.fromGuide(GuidePackage.builtIn());

    private final ContraindicationGroups groups = ContraindicationGroups.fromGuide(GuidePackage.builtIn(), CATALOGUE, Map.of());

    private List<String> groupsOf(ContraindicationGroups in, String system, String code, boolean current) {
        return DosingRules.classify(in, List.of(new DosingRules.CodedRecord("Condition/1", system, code, current)))
                .stream().map(DosingFacts.Contraindicated::group).toList();
    }

    private List<String> groupsOf(String system, String code) {
        return groupsOf(groups, system, code, true);
    }

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
    void shouldNotMatchACodeOfAnotherSystemOrANonHierarchicalLongerCode() {
        // rxnorm is not hierarchical: 61301 is not 6130; I67 (cerebrovascular disease) is the parent of the listed I67.1,
        // not a descendant
        assertThat(DosingRules.classify(groups, List.of(
                new DosingRules.CodedRecord("Condition/1", ICD10, "I67", true),
                new DosingRules.CodedRecord("AllergyIntolerance/2", "http://www.nlm.nih.gov/research/umls/rxnorm", "61301", true))))
                .isEmpty();
    }

    @Test
    void shouldMatchAnIcd10CmCodeWithItsDescendants() {
        // I71 listed: I71 itself, I71.4 (abdominal aortic aneurysm, without rupture) and I714 (no dot) match; I70.0 does not.
        // I67.1 listed: I67.10 is a descendant (the fifth character extends it)
        assertThat(groupsOf(ICD10, "I71")).containsExactly("aneurysmal-vascular-disease");
        assertThat(groupsOf(ICD10, "I71.4")).containsExactly("aneurysmal-vascular-disease");
        assertThat(groupsOf(ICD10, "i714")).containsExactly("aneurysmal-vascular-disease");
        assertThat(groupsOf(ICD10, "I67.10")).containsExactly("aneurysmal-vascular-disease");
        assertThat(groupsOf(ICD10, "I70.0")).isEmpty();
        // the ICD-10-CM OID is the same system
        assertThat(groupsOf("urn:oid:2.16.840.1.113883.6.90", "I71.4")).containsExactly("aneurysmal-vascular-disease");
    }

    @Test
    void shouldMatchTheWellKnownSnomedCodesExactly() {
        // 233985008 abdominal aortic aneurysm, 67362008 aortic aneurysm, 128609009 intracranial aneurysm (all listed);
        // 274100004 cerebral haemorrhage; 77386006 pregnancy; 69322001 psychotic disorder
        assertThat(groupsOf(SNOMED, "233985008")).containsExactly("aneurysmal-vascular-disease");
        assertThat(groupsOf(SNOMED, "67362008")).containsExactly("aneurysmal-vascular-disease");
        assertThat(groupsOf(SNOMED, "128609009")).containsExactly("aneurysmal-vascular-disease");
        assertThat(groupsOf(SNOMED, "274100004")).containsExactly("intracerebral-haemorrhage");
        assertThat(groupsOf(SNOMED, "77386006")).containsExactly("pregnancy");
        assertThat(groupsOf(SNOMED, "69322001")).containsExactly("psychosis-history");
        // SNOMED CT is not prefix-matched: 2339850081 is not a descendant of 233985008
        assertThat(groupsOf(SNOMED, "2339850081")).isEmpty();
    }

    @Test
    void shouldCatchTheCodesThatWereMissing() {
        // I60.9 subarachnoid haemorrhage; Q28.0 / Q28.1 precerebral malformations (Q28.00 descendant)
        assertThat(groupsOf(ICD10, "I60.9")).containsExactly("intracerebral-haemorrhage");
        assertThat(groupsOf(ICD10, "Q28.0")).containsExactly("arteriovenous-malformation");
        assertThat(groupsOf(ICD10, "Q28.1")).containsExactly("arteriovenous-malformation");
        // psychotic features: F32.3, F33.3, F30.2, F31.2, F31.5; F33.2 (without psychotic features) is not listed
        for (String code : List.of("F32.3", "F33.3", "F30.2", "F31.2", "F31.5")) {
            assertThat(groupsOf(ICD10, code)).as(code).containsExactly("psychosis-history");
        }
        assertThat(groupsOf(ICD10, "F33.2")).isEmpty();
        // pregnancy: Z34.00 (supervision of normal first pregnancy), Z3A.20 (20 weeks), O09.891; Z33.2 (elective
        // termination) is not listed
        assertThat(groupsOf(ICD10, "Z34.00")).containsExactly("pregnancy");
        assertThat(groupsOf(ICD10, "Z3A.20")).containsExactly("pregnancy");
        assertThat(groupsOf(ICD10, "O09.891")).containsExactly("pregnancy");
        assertThat(groupsOf(ICD10, "Z33.2")).isEmpty();
        // alcoholic cirrhosis K70.30 and alcoholic hepatic failure K70.40; K70.0 (fatty liver) is not listed
        assertThat(groupsOf(ICD10, "K70.30")).containsExactly("severe-hepatic-impairment");
        assertThat(groupsOf(ICD10, "K70.40")).containsExactly("severe-hepatic-impairment");
        assertThat(groupsOf(ICD10, "K70.0")).isEmpty();
    }

    @Test
    void shouldNotCountNicotineDependenceAsASubstanceUseDisorder() {
        // F17.210 nicotine dependence, cigarettes: not listed (F17 is left out); F16.10 hallucinogen abuse and F18.10
        // inhalant abuse are
        assertThat(groupsOf(ICD10, "F17.210")).isEmpty();
        assertThat(groupsOf(ICD10, "F16.10")).containsExactly("substance-use-disorder");
        assertThat(groupsOf(ICD10, "F18.10")).containsExactly("substance-use-disorder");
    }

    @Test
    void shouldTakeTheHypersensitivityCodesFromTheMedicationsValueSet() {
        // ketafhir-contraindication-ketamine-hypersensitivity includes ketafhir-medications whole: the Spravato 56 mg
        // kit NDC 50458-028-02 is there, and was missing from the old settings list
        assertThat(groupsOf("http://hl7.org/fhir/sid/ndc", "50458-028-02")).containsExactly("ketamine-hypersensitivity");
        assertThat(ContraindicationGroups.valueSetCodes(GuidePackage.builtIn(),
                "http://ketafhir.org/fhir/ValueSet/ketafhir-contraindication-ketamine-hypersensitivity"))
                .containsExactlyInAnyOrderElementsOf(org.ketafhir.ig.GuideValueSets.enumerated(GuidePackage.builtIn(), "ketafhir-medications").keySet());
    }

    @Test
    void aLocalSettingShouldAddToOrReplaceAGroupAndChangeItsSeverity() {
        // add SNOMED 44054006 to uncontrolled hypertension (kept: I16.0); replace pregnancy by Z33.1 only (O09.891 no
        // longer matches) and make it an error
        ContraindicationGroups local = ContraindicationGroups.fromGuide(GuidePackage.builtIn(), CATALOGUE, Map.of(
                "uncontrolled-hypertension", new DosingProperties.Contraindication(null, null,
                        List.of(SNOMED + "|44054006"), DosingProperties.Contraindication.Mode.ADD),
                "pregnancy", new DosingProperties.Contraindication(Severity.ERROR, null,
                        List.of(ICD10 + "|Z33.1"), DosingProperties.Contraindication.Mode.REPLACE)));

        assertThat(groupsOf(local, SNOMED, "44054006", true)).containsExactly("uncontrolled-hypertension");
        assertThat(groupsOf(local, ICD10, "I16.0", true)).containsExactly("uncontrolled-hypertension");
        assertThat(groupsOf(local, ICD10, "O09.891", true)).isEmpty();
        assertThat(DosingRules.classify(local, List.of(new DosingRules.CodedRecord("Condition/1", ICD10, "Z33.1", true))))
                .singleElement().satisfies(c -> assertThat(c.severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void aLocalSettingForAGroupTheGuideDoesNotDefineShouldStopStartUp() {
        assertThatThrownBy(() -> ContraindicationGroups.fromGuide(GuidePackage.builtIn(), CATALOGUE, Map.of("pregnant",
                new DosingProperties.Contraindication(null, null, List.of(ICD10 + "|Z33.1"),
                        DosingProperties.Contraindication.Mode.ADD))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ketafhir.dosing.contraindications.pregnant");
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
