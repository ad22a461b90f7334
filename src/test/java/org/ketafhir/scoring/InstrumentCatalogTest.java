package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketafhir.ig.GuidePackage;

class InstrumentCatalogTest {

    private static final String GUIDE = "http://ketafhir.org/fhir/Questionnaire/";
    private static InstrumentCatalog catalog;

    @BeforeAll
    static void loadTheGuide() {
        catalog = InstrumentCatalog.fromGuide(GuidePackage.builtIn());
    }

    @Test
    void shouldLoadTheEightInstrumentsShippedInTheGuide() {
        assertThat(catalog.instruments()).extracting(Instrument::url).containsExactlyInAnyOrder(
                GUIDE + "phq-9", GUIDE + "gad-7", GUIDE + "pcl-5", GUIDE + "y-bocs", GUIDE + "madrs",
                GUIDE + "qids-sr16", GUIDE + "c-ssrs-screener", GUIDE + "cadss");
    }

    @Test
    void shouldRecogniseAnInstrumentByGuideCanonicalWithOrWithoutVersion() {
        assertThat(catalog.findByCanonical(GUIDE + "phq-9")).map(Instrument::url).contains(GUIDE + "phq-9");
        assertThat(catalog.findByCanonical(GUIDE + "phq-9|0.1.0")).map(Instrument::url).contains(GUIDE + "phq-9");
    }

    @Test
    void shouldRecogniseAnInstrumentByLoincFormCanonical() {
        assertThat(catalog.findByCanonical("http://loinc.org/q/44249-1")).map(Instrument::url).contains(GUIDE + "phq-9");
        assertThat(catalog.findByCanonical("http://loinc.org/q/69737-5")).map(Instrument::url).contains(GUIDE + "gad-7");
        assertThat(catalog.findByCanonical("http://loinc.org/q/93373-9"))
                .map(Instrument::url).contains(GUIDE + "c-ssrs-screener");
    }

    @Test
    void shouldRecogniseAResolvedQuestionnaireByItsLoincPanelCode() {
        Questionnaire elsewhere = new Questionnaire();
        elsewhere.setUrl("http://example.org/Questionnaire/their-phq9");
        elsewhere.addCode(new Coding("http://loinc.org", "44249-1", null));
        assertThat(catalog.findByQuestionnaire(elsewhere)).map(Instrument::url).contains(GUIDE + "phq-9");
        assertThat(catalog.findByCode("http://loinc.org", "101697-1")).map(Instrument::url).contains(GUIDE + "pcl-5");
    }

    @Test
    void shouldNotScoreAResponseToAnUnknownQuestionnaire() {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setQuestionnaire("http://example.org/Questionnaire/intake");
        assertThat(catalog.findFor(response)).isEmpty();
        assertThat(new ScoringProcessor(catalog).score(response)).isEmpty();
        assertThat(catalog.findByCanonical("http://loinc.org/q/99999-9")).isEmpty();
        assertThat(catalog.findByCanonical(null)).isEmpty();
    }

    @Test
    void shouldDeriveScoreRangesFromTheAnswerWeights() {
        // Ranges from section 4 of the domain reference: items x top weight (QIDS-SR16: 9 domains x 3).
        assertThat(range("phq-9")).containsExactly(0, 27);
        assertThat(range("gad-7")).containsExactly(0, 21);
        assertThat(range("pcl-5")).containsExactly(0, 80);
        assertThat(range("y-bocs")).containsExactly(0, 40);
        assertThat(range("madrs")).containsExactly(0, 60);
        assertThat(range("qids-sr16")).containsExactly(0, 27);
        assertThat(range("cadss")).containsExactly(0, 92);
    }

    @Test
    void shouldCarryTheResponseAndRemissionThresholdsOfTheDomainReference() {
        OutcomeThresholds phq9 = total("phq-9").thresholds();
        assertThat(phq9.responseDecrease()).isEqualByComparingTo(new BigDecimal("0.5"));
        assertThat(phq9.remissionMax()).isEqualTo(4);
        assertThat(phq9.worseningIncrease()).isEqualTo(5);
        OutcomeThresholds ybocs = total("y-bocs").thresholds();
        assertThat(ybocs.responseDecrease()).isEqualByComparingTo(new BigDecimal("0.35"));
        assertThat(ybocs.remissionMax()).isEqualTo(12);
        assertThat(total("madrs").thresholds().remissionMax()).isEqualTo(12);
        assertThat(total("qids-sr16").thresholds().remissionMax()).isEqualTo(5);
        OutcomeThresholds pcl5 = total("pcl-5").thresholds();
        assertThat(pcl5.meaningfulChange()).isEqualTo(10);
        assertThat(pcl5.reliableChange()).isEqualTo(15);
        assertThat(pcl5.responseDecrease()).isNull();
    }

    @Test
    void shouldStateAProratingRuleForEveryScoreAndProrateNone() {
        for (Instrument instrument : catalog.instruments()) {
            for (ScoreDefinition score : instrument.scores()) {
                assertThat(score.prorating().method()).as(score.codeToken()).isEqualTo(Prorating.Method.NONE);
                assertThat(score.prorating().note()).as(score.codeToken()).isNotBlank();
            }
        }
    }

    @Test
    void shouldDeclareSubscalesAsScoresOfTheirOwn() {
        Instrument pcl5 = catalog.findByCanonical(GUIDE + "pcl-5").orElseThrow();
        assertThat(pcl5.scores()).extracting(s -> s.code().getCode())
                .containsExactly("101698-9", "pcl-5-cluster-b", "pcl-5-cluster-c", "pcl-5-cluster-d", "pcl-5-cluster-e");
        assertThat(pcl5.scores()).extracting(s -> s.terms().size()).containsExactly(20, 5, 2, 7, 6);
        Instrument ybocs = catalog.findByCanonical(GUIDE + "y-bocs").orElseThrow();
        assertThat(ybocs.scores()).extracting(s -> s.code().getCode())
                .containsExactly("y-bocs-total", "y-bocs-obsessions", "y-bocs-compulsions");
    }

    @Test
    void shouldIgnoreQuestionnairesThatDeclareNoScoring() {
        Questionnaire intake = TestQuestionnaires.threeItems("http://example.org/Questionnaire/intake");
        assertThat(InstrumentCatalog.of(List.of(intake)).instruments()).isEmpty();
    }

    @Test
    void shouldRefuseBandsThatLeaveAGap() {
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/gap");
        var scoring = TestQuestionnaires.scoring("a", "b", "c");
        scoring.addExtension(TestQuestionnaires.band(0, 4, "low"));
        scoring.addExtension(TestQuestionnaires.band(6, 9, "high"));
        scoring.addExtension(TestQuestionnaires.prorating("none", null));
        q.addExtension(scoring);
        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(q)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("band 6..9 does not start at 5");
    }

    @Test
    void shouldRefuseAScoreThatNamesAnItemTheQuestionnaireLacks() {
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/unknown-item");
        var scoring = TestQuestionnaires.scoring("a", "b", "d");
        scoring.addExtension(TestQuestionnaires.prorating("none", null));
        q.addExtension(scoring);
        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(q)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("names d");
    }

    @Test
    void shouldRefuseAScoreThatStatesNoProratingRule() {
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/no-rule");
        q.addExtension(TestQuestionnaires.scoring("a", "b", "c"));
        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(q)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("states no prorating rule");
    }

    @Test
    void shouldRefuseAMistypedSubExtension() {
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/typo");
        var scoring = TestQuestionnaires.scoring("a", "b", "c");
        scoring.addExtension(TestQuestionnaires.prorating("none", null));
        scoring.addExtension("remisionMax", new org.hl7.fhir.r4.model.IntegerType(4));
        q.addExtension(scoring);
        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(q)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("remisionMax");
    }

    @Test
    void shouldRefuseTwoQuestionnairesWithTheSameUrl() {
        Questionnaire first = TestQuestionnaires.threeItems("http://example.org/Questionnaire/same");
        Questionnaire second = TestQuestionnaires.threeItems("http://example.org/Questionnaire/same");
        for (Questionnaire q : List.of(first, second)) {
            var scoring = TestQuestionnaires.scoring("a", "b", "c");
            scoring.addExtension(TestQuestionnaires.prorating("none", null));
            q.addExtension(scoring);
        }
        second.getCodeFirstRep().setCode("another-form");
        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(first, second)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("two Questionnaires have the url");
    }

    @Test
    void shouldRefuseASafetyRuleWhoseFhirPathDoesNotParseWhenTheProcessorIsBuilt() {
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/bad-rule");
        q.addExtension(TestQuestionnaires.safetyRule("urgent", "item.where(linkId = 'a' and", "a"));
        InstrumentCatalog withBadRule = InstrumentCatalog.of(List.of(q));
        assertThatThrownBy(() -> new ScoringProcessor(withBadRule))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("invalid FHIRPath");
    }

    @Test
    void shouldRefuseASafetyRuleWithoutAPriorityWhenTheGuideLoads() {
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/no-priority");
        var rule = TestQuestionnaires.safetyRule("urgent", "item.where(linkId = 'a' and answer.value = 3).exists()", "a");
        rule.getExtension().removeIf(sub -> sub.getUrl().equals("priority"));
        q.addExtension(rule);

        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(q)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("no-priority")
                .hasMessageContaining("safety rule signal-urgent states no priority");
    }

    @Test
    void shouldRefuseASafetyRuleWhosePriorityIsNotARequestPriority() {
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/bad-priority");
        var rule = TestQuestionnaires.safetyRule("urgent", "item.where(linkId = 'a' and answer.value = 3).exists()", "a");
        rule.getExtensionByUrl("priority").setValue(new CodeType("emergency"));
        q.addExtension(rule);

        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(q)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("instrument-safety-rule.priority 'emergency' is not a request priority");
    }

    @Test
    void shouldRefuseASafetyRuleWithoutAnAction() {
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/no-action");
        var rule = TestQuestionnaires.safetyRule("urgent", "item.where(linkId = 'a' and answer.value = 3).exists()", "a");
        rule.getExtension().removeIf(sub -> sub.getUrl().equals("action"));
        q.addExtension(rule);

        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(q)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("states no action");
    }

    @Test
    void shouldRefuseALessSevereRuleListedBeforeAMoreUrgentOne() {
        // rules escalate by their order: a routine rule followed by an asap one would let a worse signal rank lower
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/rule-order");
        var first = TestQuestionnaires.safetyRule("positive", "item.where(linkId = 'a' and answer.value >= 1).exists()", "a");
        first.getExtensionByUrl("priority").setValue(new CodeType("routine"));
        var second = TestQuestionnaires.safetyRule("urgent", "item.where(linkId = 'a' and answer.value = 3).exists()", "a");
        second.getExtensionByUrl("priority").setValue(new CodeType("asap"));
        q.addExtension(first);
        q.addExtension(second);

        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(q)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("signal-urgent (priority asap) comes after signal-positive (priority routine)");
    }

    @Test
    void shouldRefuseAFlagCodeWithoutASystem() {
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/bad-flag");
        var rule = TestQuestionnaires.safetyRule("urgent", "item.where(linkId = 'a' and answer.value = 3).exists()", "a");
        rule.addExtension("flag", new Coding(null, "suicidal-ideation-urgent", null));
        q.addExtension(rule);

        assertThatThrownBy(() -> InstrumentCatalog.of(List.of(q)))
                .isInstanceOf(InstrumentDefinitionException.class)
                .hasMessageContaining("instrument-safety-rule.flag must be a valueCoding with system and code");
    }

    @Test
    void theGuideShouldStateThePolicyOfEverySafetyRule() {
        // the policy as the guide's Questionnaires state it (README "Scoring and safety signals")
        assertThat(catalog.instruments().stream().flatMap(i -> i.safetyRules().stream())
                .map(r -> r.signal().getCode() + " " + (r.policy().flag() == null ? "no-flag" : r.policy().flag().getCode())
                        + " " + r.policy().priority().toCode()))
                .containsExactlyInAnyOrder(
                        "phq-9-item-9-urgent suicidal-ideation-urgent asap",
                        "phq-9-item-9-positive suicidal-ideation-positive-screen urgent",
                        "phq-9-item-9-unanswered no-flag urgent",
                        "c-ssrs-risk-high suicidal-ideation-urgent asap",
                        "c-ssrs-risk-moderate suicidal-ideation-positive-screen urgent",
                        "c-ssrs-risk-low no-flag routine",
                        "madrs-item-10-urgent suicidal-ideation-urgent asap",
                        "madrs-item-10-positive suicidal-ideation-positive-screen urgent",
                        "qids-sr16-item-12-urgent suicidal-ideation-urgent asap",
                        "qids-sr16-item-12-positive suicidal-ideation-positive-screen urgent");
    }

    private static List<Integer> range(String id) {
        ScoreDefinition total = total(id);
        return List.of(total.minimum(), total.maximum());
    }

    private static ScoreDefinition total(String id) {
        return catalog.findByCanonical(GUIDE + id).orElseThrow().scores().get(0);
    }
}
