package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Flag.FlagStatus;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskIntent;
import org.hl7.fhir.r4.model.Task.TaskPriority;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketafhir.ig.GuidePackage;

class SafetySignalFactoryTest {

    private static final String[] PHQ9 = {
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"
    };
    private static final String YES = "LA33-6";
    private static final String NO = "LA32-8";
    private static final Reference EVIDENCE = new Reference("QuestionnaireResponse/qr-7");
    private static final Date NOW = new Date(1_800_000_000_000L);

    private static ScoringProcessor processor;
    private final SafetySignalFactory factory = new SafetySignalFactory();

    @BeforeAll
    static void loadTheGuide() {
        processor = new ScoringProcessor(InstrumentCatalog.fromGuide(GuidePackage.builtIn()));
    }

    @Test
    void phq9Item9OfOneShouldRaiseAnActiveFlagAndAnUrgentTaskPointingToTheResponse() {
        // item 9 = 1 ("several days"): a positive screen, not the urgent answer 3
        QuestionnaireResponse response = phq9(0, 0, 0, 0, 0, 0, 0, 0, 1);

        SafetySignalFactory.Signal signal = signalOf(response).orElseThrow();

        Flag flag = signal.flag();
        assertThat(flag.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly("http://ketafhir.org/fhir/StructureDefinition/safety-flag");
        assertThat(flag.getStatus()).isEqualTo(FlagStatus.ACTIVE);
        assertThat(flag.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("safety");
        assertThat(flag.getCode().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple("http://ketafhir.org/fhir/CodeSystem/ketafhir",
                        "suicidal-ideation-positive-screen"),
                org.assertj.core.groups.Tuple.tuple("http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument",
                        "phq-9-item-9-positive"));
        assertThat(flag.getCode().getText()).contains("item 44260-8 = 1").contains("QuestionnaireResponse/qr-7");
        assertThat(flag.getSubject().getReference()).isEqualTo("Patient/p-1");
        assertThat(flag.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-03-02T09:30:00+01:00");
        assertThat(flag.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/flag-detail").getValue())
                .isInstanceOfSatisfying(Reference.class,
                        r -> assertThat(r.getReference()).isEqualTo("QuestionnaireResponse/qr-7"));

        Task task = signal.task();
        assertThat(task.getStatus()).isEqualTo(TaskStatus.REQUESTED);
        assertThat(task.getIntent()).isEqualTo(TaskIntent.ORDER);
        assertThat(task.getPriority()).isEqualTo(TaskPriority.URGENT);
        assertThat(task.getFor().getReference()).isEqualTo("Patient/p-1");
        assertThat(task.getReasonReference().getReference()).isEqualTo("QuestionnaireResponse/qr-7");
        assertThat(task.getReasonCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-positive-screen", "phq-9-item-9-positive");
        assertThat(task.getAuthoredOn()).isEqualTo(NOW);
    }

    @Test
    void phq9Item9OfThreeShouldBeUrgentWithATaskAboveUrgent() {
        // item 9 = 3 ("nearly every day") is the guide's urgent rule; FHIR ranks asap above urgent
        SafetySignalFactory.Signal signal = signalOf(phq9(0, 0, 0, 0, 0, 0, 0, 0, 3)).orElseThrow();

        assertThat(signal.flag().getCode().getCodingFirstRep().getCode()).isEqualTo("suicidal-ideation-urgent");
        assertThat(signal.flag().getCode().getCoding().get(1).getCode()).isEqualTo("phq-9-item-9-urgent");
        assertThat(signal.task().getPriority()).isEqualTo(TaskPriority.ASAP);
    }

    @Test
    void phq9Item9OfZeroShouldRaiseNothingEvenWhenSevere() {
        // 8 x 3 + 0 = 24, severe, but item 9 = 0
        assertThat(signalOf(phq9(3, 3, 3, 3, 3, 3, 3, 3, 0))).isEmpty();
    }

    @Test
    void cssrsModerateShouldRaiseAPositiveScreen() {
        // Q1 yes, Q2 yes, Q3 (method) yes, Q4 no, Q5 no, Q6 (behaviour) no -> moderate
        QuestionnaireResponse response = cssrs(YES, YES, YES, NO, NO, NO);

        SafetySignalFactory.Signal signal = signalOf(response).orElseThrow();

        assertThat(signal.flag().getCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-positive-screen", "c-ssrs-risk-moderate");
        assertThat(signal.task().getPriority()).isEqualTo(TaskPriority.URGENT);
    }

    @Test
    void cssrsHighShouldRaiseAnUrgentScreen() {
        // Q4 (intent) yes -> high
        SafetySignalFactory.Signal signal = signalOf(cssrs(YES, YES, NO, YES, NO, NO)).orElseThrow();

        assertThat(signal.flag().getCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-urgent", "c-ssrs-risk-high");
        assertThat(signal.task().getPriority()).isEqualTo(TaskPriority.ASAP);
    }

    @Test
    void cssrsLowShouldRaiseARoutineReferralTaskWithoutAFlag() {
        // Q1 yes, Q2 no (Q3-5 not asked), Q6 no -> low: Columbia triage refers to behavioural health, no chart Flag
        QuestionnaireResponse response = cssrs(YES, NO, null, null, null, NO);
        assertThat(processor.score(response).orElseThrow().safety().level()).isEqualTo(SignalLevel.LOW);

        SafetySignalFactory.Signal signal = signalOf(response).orElseThrow();

        assertThat(signal.flag()).isNull();
        assertThat(signal.task().getPriority()).isEqualTo(TaskPriority.ROUTINE);
        assertThat(signal.task().getReasonCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("c-ssrs-risk-low");
        assertThat(signal.task().getDescription()).contains("behavioural-health");
    }

    @Test
    void cssrsAllNoShouldRaiseNothing() {
        // Q1 no, Q2 no (Q3-5 not asked), Q6 no -> no risk level
        assertThat(signalOf(cssrs(NO, NO, null, null, null, NO))).isEmpty();
    }

    @Test
    void phq9Item9LeftUnansweredShouldRaiseAnUrgentTaskToAskItButNoFlag() {
        // items 1-8 answered, item 9 absent: no total (no prorating), nothing screened -> ask today
        QuestionnaireResponse response = phq9(1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(processor.score(response).orElseThrow().safety().level()).isEqualTo(SignalLevel.UNANSWERED);

        SafetySignalFactory.Signal signal = signalOf(response).orElseThrow();

        assertThat(signal.flag()).isNull();
        assertThat(signal.task().getPriority()).isEqualTo(TaskPriority.URGENT);
        assertThat(signal.task().getReasonCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("phq-9-item-9-unanswered");
        assertThat(signal.task().getDescription()).contains("Ask the patient");
    }

    @Test
    void madrsItem10ShouldBePositiveFromTwoAndUrgentFromFour() {
        // manual anchors: 0-1 enjoys life, 2-3 fleeting suicidal thoughts, 4-5 suicide considered, 6 explicit plans;
        // thresholds [c]: >= 2 positive (Task urgent), >= 4 urgent (Task asap). Items 1-9 are 0.
        assertThat(signalOf(madrs(1))).isEmpty();
        assertLevel(madrs(2), "suicidal-ideation-positive-screen", "madrs-item-10-positive", TaskPriority.URGENT);
        assertLevel(madrs(3), "suicidal-ideation-positive-screen", "madrs-item-10-positive", TaskPriority.URGENT);
        assertLevel(madrs(4), "suicidal-ideation-urgent", "madrs-item-10-urgent", TaskPriority.ASAP);
        assertLevel(madrs(6), "suicidal-ideation-urgent", "madrs-item-10-urgent", TaskPriority.ASAP);
    }

    @Test
    void qidsItem12ShouldBePositiveFromOneAndUrgentAtThree() {
        // item 12: 0 no thoughts of death, 1 life empty / not worth living, 2 suicide several times a week,
        // 3 several times a day in detail, plans or an attempt; thresholds [c]: >= 1 positive, 3 urgent
        assertThat(signalOf(qids(0))).isEmpty();
        assertLevel(qids(1), "suicidal-ideation-positive-screen", "qids-sr16-item-12-positive", TaskPriority.URGENT);
        assertLevel(qids(2), "suicidal-ideation-positive-screen", "qids-sr16-item-12-positive", TaskPriority.URGENT);
        assertLevel(qids(3), "suicidal-ideation-urgent", "qids-sr16-item-12-urgent", TaskPriority.ASAP);
    }

    @Test
    void aPolicyChangedInTheGuideShouldChangeTheSignalWithoutJava() {
        // a synthetic instrument whose one rule states: Flag code "dosing-review", Task stat, its own action
        Questionnaire q = TestQuestionnaires.threeItems("http://example.org/Questionnaire/policy");
        var rule = TestQuestionnaires.safetyRule("high", "item.where(linkId = 'a' and answer.value >= 2).exists()", "a");
        rule.getExtensionByUrl("priority").setValue(new CodeType("stat"));
        rule.getExtensionByUrl("action").setValue(new StringType("Call the patient now."));
        rule.addExtension("flag", new Coding("http://example.org/flags", "dosing-review", "Review before dosing"));
        q.addExtension(rule);
        ScoringProcessor custom = new ScoringProcessor(InstrumentCatalog.of(List.of(q)));
        QuestionnaireResponse response = response("http://example.org/Questionnaire/policy");
        // a = 2 (>= 2: the rule holds), b = 0, c = 0
        response.addItem().setLinkId("a").addAnswer().setValue(new IntegerType(2));
        response.addItem().setLinkId("b").addAnswer().setValue(new IntegerType(0));
        response.addItem().setLinkId("c").addAnswer().setValue(new IntegerType(0));

        SafetySignalFactory.Signal signal = factory.create(custom.score(response).orElseThrow().safety(), response,
                EVIDENCE, NOW).orElseThrow();

        assertThat(signal.flag().getCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("dosing-review", "signal-high");
        assertThat(signal.task().getPriority()).isEqualTo(TaskPriority.STAT);
        assertThat(signal.task().getDescription()).isEqualTo("signal-high (item a = 2) in QuestionnaireResponse/qr-7."
                + " Call the patient now.");
    }

    private void assertLevel(QuestionnaireResponse response, String flagCode, String signal, TaskPriority priority) {
        SafetySignalFactory.Signal raised = signalOf(response).orElseThrow();
        assertThat(raised.flag().getCode().getCoding()).extracting(Coding::getCode).containsExactly(flagCode, signal);
        assertThat(raised.task().getPriority()).isEqualTo(priority);
    }

    /** A MADRS with items 1-9 rated 0 and item 10 (suicidal thoughts) as given. */
    private static QuestionnaireResponse madrs(int item10) {
        return OutcomeResponses.madrs("Patient/p-1", "2026-03-02T09:30:00+01:00",
                0, 0, 0, 0, 0, 0, 0, 0, 0, item10);
    }

    /** A QIDS-SR16 with every item 0 but item 12 (thoughts of death or suicide). */
    private static QuestionnaireResponse qids(int item12) {
        return OutcomeResponses.qidsSr16("Patient/p-1", "2026-03-02T09:30:00+01:00",
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, item12, 0, 0, 0, 0);
    }

    private Optional<SafetySignalFactory.Signal> signalOf(QuestionnaireResponse response) {
        ScoringResult result = processor.score(response).orElseThrow();
        assertThat(result.errors()).isEmpty();
        assertThat(factory.raises(result.safety())).isEqualTo(
                factory.create(result.safety(), response, EVIDENCE, NOW).isPresent());
        return factory.create(result.safety(), response, EVIDENCE, NOW);
    }

    private static QuestionnaireResponse phq9(int... answers) {
        QuestionnaireResponse response = response("http://ketafhir.org/fhir/Questionnaire/phq-9");
        for (int i = 0; i < answers.length; i++) {
            response.addItem().setLinkId(PHQ9[i]).addAnswer().setValue(new IntegerType(answers[i]));
        }
        return response;
    }

    /** Answers to Q1-Q6 in order (93246-7, 93247-5, 93248-3, 93249-1, 93250-9, 93267-3); null = not asked. */
    private static QuestionnaireResponse cssrs(String... answers) {
        String[] linkIds = {"93246-7", "93247-5", "93248-3", "93249-1", "93250-9", "93267-3"};
        QuestionnaireResponse response = response("http://ketafhir.org/fhir/Questionnaire/c-ssrs-screener");
        for (int i = 0; i < answers.length; i++) {
            if (answers[i] != null) {
                response.addItem().setLinkId(linkIds[i]).addAnswer()
                        .setValue(new Coding("http://loinc.org", answers[i], null));
            }
        }
        return response;
    }

    private static QuestionnaireResponse response(String questionnaire) {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setQuestionnaire(questionnaire);
        response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        response.setSubject(new Reference("Patient/p-1"));
        response.getAuthoredElement().setValueAsString("2026-03-02T09:30:00+01:00");
        return response;
    }
}
