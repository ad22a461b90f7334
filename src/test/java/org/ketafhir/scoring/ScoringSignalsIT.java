package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.scoring.OutcomeResponses.cssrs;
import static org.ketafhir.scoring.OutcomeResponses.madrs;
import static org.ketafhir.scoring.OutcomeResponses.phq9;
import static org.ketafhir.scoring.OutcomeResponses.qidsSr16;

import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Flag.FlagStatus;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskPriority;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;

/** Safety signals: a suicidal-ideation screen raises one Flag and one Task per response, escalated when it worsens. */
class ScoringSignalsIT extends FhirServerTestBase {

    @Test
    void phq9Item9OfOneShouldRaiseOneActiveFlagAndOneTaskForTheCareTeam() {
        String patient = newPatient();
        // item 9 = 1 ("several days"): positive screen; total 1+1+0+0+0+0+0+0+1 = 3
        IdType response = create(phq9(patient, "2026-03-02T09:30:00Z", 1, 1, 0, 0, 0, 0, 0, 0, 1));

        Flag flag = single(flagsOf(patient));
        assertThat(flag.getStatus()).isEqualTo(FlagStatus.ACTIVE);
        assertThat(flag.getMeta().getProfile()).extracting(p -> p.getValue())
                .contains("http://ketafhir.org/fhir/StructureDefinition/safety-flag");
        assertThat(flag.getCode().getCoding()).extracting(Coding::getCode)
                .contains("suicidal-ideation-positive-screen", "phq-9-item-9-positive");
        assertThat(evidenceOf(flag)).isEqualTo("QuestionnaireResponse/" + response.getIdPart());

        Task task = single(tasksOf(patient));
        assertThat(task.getStatus()).isEqualTo(TaskStatus.REQUESTED);
        assertThat(task.getPriority()).isEqualTo(TaskPriority.URGENT);
        assertThat(task.getFor().getReference()).isEqualTo(patient);
        assertThat(task.getReasonReference().getReference()).isEqualTo("QuestionnaireResponse/" + response.getIdPart());
        assertThat(task.getFocus().getReference()).isEqualTo("Flag/" + flag.getIdElement().getIdPart());
    }

    /** The server does not validate its own writes on the way in (see ProfileEnforcingInterceptor): they must be valid. */
    @Test
    void theDerivedScoreFlagAndTaskShouldMeetTheProfilesTheyDeclare() {
        String patient = newPatient();
        // item 9 = 3: urgent screen; total 3+3+2+2+1+1+1+1+3 = 17
        IdType response = create(phq9(patient, "2026-03-02T09:30:00Z", 3, 3, 2, 2, 1, 1, 1, 1, 3));
        List<Resource> derived = new java.util.ArrayList<>();
        derived.addAll(search("Observation?derived-from=QuestionnaireResponse/" + response.getIdPart(), Observation.class));
        derived.add(single(flagsOf(patient)));
        derived.add(single(tasksOf(patient)));
        assertThat(derived).hasSize(3);
        for (Resource resource : derived) {
            org.hl7.fhir.r4.model.OperationOutcome outcome = (org.hl7.fhir.r4.model.OperationOutcome) client()
                    .operation().onType(resource.getClass()).named("$validate")
                    .withParameter(org.hl7.fhir.r4.model.Parameters.class, "resource", resource)
                    .returnResourceType(org.hl7.fhir.r4.model.OperationOutcome.class).execute();
            assertThat(outcome.getIssue())
                    .as("%s %s", resource.fhirType(), resource.getMeta().getProfile().stream().map(p -> p.getValue()).toList())
                    .noneMatch(issue -> issue.getSeverity().ordinal() <= org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR.ordinal()
                            && issue.getSeverity() != org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.NULL);
        }
    }

    @Test
    void updatingTheResponseShouldNotRaiseTheSignalAgain() {
        String patient = newPatient();
        // item 9 = 2: positive screen
        QuestionnaireResponse response = phq9(patient, "2026-03-02T09:30:00Z", 2, 2, 0, 0, 0, 0, 0, 0, 2);
        IdType id = create(response);

        // item 1 from 2 to 3, item 9 still 2
        QuestionnaireResponse amended = phq9(patient, "2026-03-02T09:30:00Z", 3, 2, 0, 0, 0, 0, 0, 0, 2);
        amended.setId(id.toUnqualifiedVersionless());
        client().update().resource(amended).execute();

        assertThat(single(flagsOf(patient)).getMeta().getVersionId()).isEqualTo("1");
        assertThat(single(tasksOf(patient)).getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void aLaterResponseWithItem9OfZeroShouldRaiseNothingAndLeaveTheTaskOpen() {
        String patient = newPatient();
        create(phq9(patient, "2026-03-02T09:30:00Z", 2, 2, 2, 2, 0, 0, 0, 0, 1));

        // a week later: item 9 = 0, total 1+1+0+0+0+0+0+0+0 = 2
        create(phq9(patient, "2026-03-09T09:30:00Z", 1, 1, 0, 0, 0, 0, 0, 0, 0));

        assertThat(single(flagsOf(patient)).getStatus()).isEqualTo(FlagStatus.ACTIVE);
        assertThat(single(tasksOf(patient)).getStatus()).isEqualTo(TaskStatus.REQUESTED);
    }

    @Test
    void aPositiveResponsePutInATransactionShouldRaiseOneSignal() {
        String patient = newPatient();
        String id = unique("phq9");
        // item 9 = 1: positive screen. HAPI calls the update hooks of a transaction PUT twice.
        QuestionnaireResponse response = phq9(patient, "2026-03-02T09:30:00Z", 0, 1, 0, 0, 0, 0, 0, 0, 1);
        response.setId("QuestionnaireResponse/" + id);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl(baseUrl() + "/QuestionnaireResponse/" + id).setResource(response)
                .getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("QuestionnaireResponse/" + id);

        client().transaction().withBundle(bundle).execute();

        assertThat(single(flagsOf(patient)).getIdElement().getIdPart()).isEqualTo("signal-" + id);
        assertThat(single(tasksOf(patient)).getIdElement().getIdPart()).isEqualTo("signal-review-" + id);
    }

    @Test
    void deletingAResponseThatRaisedASignalShouldLeaveTheSignalToTheClinician() {
        String patient = newPatient();
        // item 9 = 1: positive screen
        IdType response = create(phq9(patient, "2026-03-02T09:30:00Z", 0, 0, 0, 0, 0, 0, 0, 0, 1));

        client().delete().resourceById(response.toUnqualifiedVersionless()).execute();

        assertThat(search("Observation?subject=" + patient, org.hl7.fhir.r4.model.Observation.class)).isEmpty();
        assertThat(single(flagsOf(patient)).getStatus()).isEqualTo(FlagStatus.ACTIVE);
        assertThat(single(tasksOf(patient)).getStatus()).isEqualTo(TaskStatus.REQUESTED);
    }

    @Test
    void phq9Item9OfThreeShouldRaiseAnUrgentFlagAndATaskForAsSoonAsPossible() {
        String patient = newPatient();
        create(phq9(patient, "2026-03-02T09:30:00Z", 0, 0, 0, 0, 0, 0, 0, 0, 3));

        assertThat(single(flagsOf(patient)).getCode().getCodingFirstRep().getCode()).isEqualTo("suicidal-ideation-urgent");
        assertThat(single(tasksOf(patient)).getPriority()).isEqualTo(TaskPriority.ASAP);
    }

    @Test
    void cssrsHighModerateAndLowRiskShouldRaiseTheirSignalsAndRecordTheRiskLevel() {
        String moderate = newPatient();
        String high = newPatient();
        String low = newPatient();
        String none = newPatient();

        // Q1 yes, Q2 yes, Q3 (method) yes, Q4 no, Q5 no, Q6 no -> moderate
        create(cssrs(moderate, "2026-03-02T09:30:00Z", true, true, true, false, false, false));
        // Q1 yes, Q2 yes, Q3 yes, Q4 (intent) yes, Q5 no, Q6 no -> high
        create(cssrs(high, "2026-03-02T09:30:00Z", true, true, true, true, false, false));
        // Q1 yes, Q2 no (Q3-Q5 not asked), Q6 no -> low
        IdType lowResponse = create(cssrs(low, "2026-03-02T09:30:00Z", true, false, null, null, null, false));
        // Q1 no, Q2 no, Q6 no -> no risk level
        create(cssrs(none, "2026-03-02T09:30:00Z", false, false, null, null, null, false));

        assertThat(single(flagsOf(moderate)).getCode().getCoding()).extracting(Coding::getCode)
                .contains("suicidal-ideation-positive-screen", "c-ssrs-risk-moderate");
        assertThat(single(tasksOf(moderate)).getPriority()).isEqualTo(TaskPriority.URGENT);
        assertThat(single(flagsOf(high)).getCode().getCoding()).extracting(Coding::getCode)
                .contains("suicidal-ideation-urgent", "c-ssrs-risk-high");
        assertThat(single(tasksOf(high)).getPriority()).isEqualTo(TaskPriority.ASAP);
        // the wording is the rule's action in the guide (Columbia triage: high -> immediate safety, emergency evaluation)
        assertThat(single(tasksOf(high)).getDescription()).contains("Take immediate safety precautions");
        // low: Columbia triage refers to behavioural health, a routine Task and no Flag on the chart
        assertThat(flagsOf(low)).isEmpty();
        Task referral = single(tasksOf(low));
        assertThat(referral.getPriority()).isEqualTo(TaskPriority.ROUTINE);
        assertThat(referral.getReasonCode().getCoding()).extracting(Coding::getCode).containsExactly("c-ssrs-risk-low");
        assertThat(referral.getReasonReference().getReference())
                .isEqualTo("QuestionnaireResponse/" + lowResponse.getIdPart());
        assertThat(flagsOf(none)).isEmpty();
        assertThat(tasksOf(none)).isEmpty();

        // the risk level, LOINC 93374-7, one per screen that found one
        assertThat(riskLevelOf(high)).isEqualTo("c-ssrs-risk-high");
        assertThat(riskLevelOf(moderate)).isEqualTo("c-ssrs-risk-moderate");
        Observation lowRisk = single(search("Observation?subject=" + low + "&code=http://loinc.org|93374-7", Observation.class));
        assertThat(lowRisk.getIdElement().getIdPart()).isEqualTo("score-" + lowResponse.getIdPart() + "-93374-7");
        assertThat(lowRisk.getDerivedFromFirstRep().getReference())
                .isEqualTo("QuestionnaireResponse/" + lowResponse.getIdPart());
        assertThat(search("Observation?subject=" + none, Observation.class)).isEmpty();
    }

    @Test
    void extractOfACssrsLowScreenShouldReturnTheRiskLevelAndTheReferralTaskWithTheGuidesWording() {
        String patient = newPatient();
        // Q1 yes, Q2 no, Q6 no -> low: the guide's policy is no Flag, a routine Task with the referral sentence
        QuestionnaireResponse low = cssrs(patient, "2026-03-02T09:30:00Z", true, false, null, null, null, false);

        Bundle bundle = client().operation().onType(QuestionnaireResponse.class).named("$extract")
                .withParameter(org.hl7.fhir.r4.model.Parameters.class, "questionnaire-response", low)
                .returnResourceType(Bundle.class).execute();

        List<Resource> resources = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList();
        assertThat(resources).hasSize(2);
        Observation risk = (Observation) resources.get(0);
        assertThat(risk.getCode().getCodingFirstRep().getCode()).isEqualTo("93374-7");
        assertThat(risk.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("c-ssrs-risk-low");
        Task referral = (Task) resources.get(1);
        assertThat(referral.getPriority()).isEqualTo(TaskPriority.ROUTINE);
        assertThat(referral.getDescription()).endsWith("Refer the patient for a behavioural-health assessment.");
        assertThat(search("Observation?subject=" + patient, Observation.class)).isEmpty();
        assertThat(tasksOf(patient)).isEmpty();
    }

    @Test
    void theRiskLevelShouldFollowTheCurrentVersionAndGoWithTheResponse() {
        String patient = newPatient();
        // Q4 (intent) yes -> high
        IdType id = create(cssrs(patient, "2026-03-02T09:30:00Z", true, true, true, true, false, false));
        // corrected: Q4 no -> moderate. The risk level is a measurement and follows; the asap Task stays
        QuestionnaireResponse corrected = cssrs(patient, "2026-03-02T09:30:00Z", true, true, true, false, false, false);
        corrected.setId(id.toUnqualifiedVersionless());
        corrected.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);
        client().update().resource(corrected).execute();

        assertThat(riskLevelOf(patient)).isEqualTo("c-ssrs-risk-moderate");
        assertThat(single(tasksOf(patient)).getPriority()).isEqualTo(TaskPriority.ASAP);

        client().delete().resourceById(id.toUnqualifiedVersionless()).execute();
        assertThat(search("Observation?subject=" + patient, Observation.class)).isEmpty();
    }

    @Test
    void aPhq9WithItem9UnansweredShouldRaiseAnUrgentTaskToAskItAndNoFlag() {
        String patient = newPatient();
        // items 1-8 answered (total not computed: no prorating), item 9 left blank
        IdType response = create(phq9(patient, "2026-03-02T09:30:00Z", 1, 1, 1, 1, 0, 0, 0, 0));

        assertThat(flagsOf(patient)).isEmpty();
        Task ask = single(tasksOf(patient));
        assertThat(ask.getPriority()).isEqualTo(TaskPriority.URGENT);
        assertThat(ask.getReasonCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("phq-9-item-9-unanswered");
        assertThat(ask.getReasonReference().getReference()).isEqualTo("QuestionnaireResponse/" + response.getIdPart());

        // item 9 answered 1 in the amended version: positive screen, the Flag is raised and the Task now names it
        QuestionnaireResponse amended = phq9(patient, "2026-03-02T09:30:00Z", 1, 1, 1, 1, 0, 0, 0, 0, 1);
        amended.setId(response.toUnqualifiedVersionless());
        amended.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);
        client().update().resource(amended).execute();

        Flag flag = single(flagsOf(patient));
        assertThat(flag.getCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-positive-screen", "phq-9-item-9-positive");
        Task task = single(tasksOf(patient));
        assertThat(task.getPriority()).isEqualTo(TaskPriority.URGENT);
        assertThat(task.getReasonCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-positive-screen", "phq-9-item-9-positive");
        assertThat(task.getFocus().getReference()).isEqualTo("Flag/" + flag.getIdElement().getIdPart());
    }

    @Test
    void madrsItem10AndQidsItem12ShouldRaiseSignalsFromTheirThresholds() {
        String madrsUrgent = newPatient();
        String madrsPositive = newPatient();
        String madrsBelow = newPatient();
        String qids = newPatient();

        // MADRS item 10 = 4 (suicide considered as a possible solution) -> urgent [c], Task asap; items 1-9 = 2
        create(madrs(madrsUrgent, "2026-03-02T09:30:00Z", 2, 2, 2, 2, 2, 2, 2, 2, 2, 4));
        // MADRS item 10 = 2 (fleeting suicidal thoughts) -> positive [c], Task urgent
        create(madrs(madrsPositive, "2026-03-02T09:30:00Z", 2, 2, 2, 2, 2, 2, 2, 2, 2, 2));
        // MADRS item 10 = 1, just under the positive threshold -> nothing
        create(madrs(madrsBelow, "2026-03-02T09:30:00Z", 2, 2, 2, 2, 2, 2, 2, 2, 2, 1));
        // QIDS-SR16 item 12 = 1 (life empty, wonders if worth living) -> positive [c], Task urgent
        create(qidsSr16(qids, "2026-03-02T09:30:00Z", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));

        assertThat(single(flagsOf(madrsUrgent)).getCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-urgent", "madrs-item-10-urgent");
        assertThat(single(tasksOf(madrsUrgent)).getPriority()).isEqualTo(TaskPriority.ASAP);
        assertThat(single(tasksOf(madrsPositive)).getPriority()).isEqualTo(TaskPriority.URGENT);
        assertThat(flagsOf(madrsBelow)).isEmpty();
        assertThat(tasksOf(madrsBelow)).isEmpty();
        assertThat(single(flagsOf(qids)).getCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-positive-screen", "qids-sr16-item-12-positive");
        assertThat(single(tasksOf(qids)).getPriority()).isEqualTo(TaskPriority.URGENT);
    }

    @Test
    void anAmendmentOfItem9FromOneToThreeShouldEscalateTheOpenTaskAndTheFlag() {
        String patient = newPatient();
        // item 9 = 1: positive screen, Task urgent
        IdType id = create(phq9(patient, "2026-03-02T09:30:00Z", 1, 1, 0, 0, 0, 0, 0, 0, 1));
        assertThat(single(tasksOf(patient)).getPriority()).isEqualTo(TaskPriority.URGENT);

        // amended: item 9 = 3 ("nearly every day") is the urgent rule, Task asap (FHIR ranks asap above urgent)
        QuestionnaireResponse amended = phq9(patient, "2026-03-02T09:30:00Z", 1, 1, 0, 0, 0, 0, 0, 0, 3);
        amended.setId(id.toUnqualifiedVersionless());
        amended.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);
        client().update().resource(amended).execute();

        Flag flag = single(flagsOf(patient));
        assertThat(flag.getIdElement().getIdPart()).isEqualTo("signal-" + id.getIdPart());
        assertThat(flag.getMeta().getVersionId()).isEqualTo("2");
        assertThat(flag.getCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-urgent", "phq-9-item-9-urgent");
        Task task = single(tasksOf(patient));
        assertThat(task.getIdElement().getIdPart()).isEqualTo("signal-review-" + id.getIdPart());
        assertThat(task.getMeta().getVersionId()).isEqualTo("2");
        assertThat(task.getPriority()).isEqualTo(TaskPriority.ASAP);
        assertThat(task.getReasonCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-urgent", "phq-9-item-9-urgent");

        // the same amendment retried: as severe as what is stored, nothing is written
        client().update().resource(amended).execute();
        assertThat(single(tasksOf(patient)).getMeta().getVersionId()).isEqualTo("2");
        assertThat(single(flagsOf(patient)).getMeta().getVersionId()).isEqualTo("2");

        // amended again down to item 9 = 1: never de-escalated on its own, the asap Task and urgent Flag stay
        QuestionnaireResponse lower = phq9(patient, "2026-03-02T09:30:00Z", 1, 1, 0, 0, 0, 0, 0, 0, 1);
        lower.setId(id.toUnqualifiedVersionless());
        lower.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);
        client().update().resource(lower).execute();
        assertThat(single(tasksOf(patient)).getPriority()).isEqualTo(TaskPriority.ASAP);
        assertThat(single(flagsOf(patient)).getCode().getCodingFirstRep().getCode()).isEqualTo("suicidal-ideation-urgent");
        assertThat(single(tasksOf(patient)).getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void cssrsModerateToHighAfterTheClinicianClosedTheTaskShouldRaiseANewTaskForTheWorseSignal() {
        String patient = newPatient();
        // Q1 yes, Q2 yes, Q3 (method) yes, Q4 no, Q5 no, Q6 no -> moderate: Task urgent
        IdType id = create(cssrs(patient, "2026-03-02T09:30:00Z", true, true, true, false, false, false));
        Task reviewed = single(tasksOf(patient));
        reviewed.setStatus(TaskStatus.COMPLETED);
        client().update().resource(reviewed).execute();

        // a new version: Q4 (intent) yes -> high
        QuestionnaireResponse amended = cssrs(patient, "2026-03-02T09:30:00Z", true, true, true, true, false, false);
        amended.setId(id.toUnqualifiedVersionless());
        client().update().resource(amended).execute();

        List<Task> tasks = tasksOf(patient);
        assertThat(tasks).hasSize(2);
        Task closed = tasks.stream().filter(t -> t.getIdElement().getIdPart().equals("signal-review-" + id.getIdPart()))
                .findFirst().orElseThrow();
        assertThat(closed.getStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(closed.getPriority()).isEqualTo(TaskPriority.URGENT);
        Task escalated = tasks.stream().filter(t -> t != closed).findFirst().orElseThrow();
        assertThat(escalated.getIdElement().getIdPart()).isEqualTo("signal-review-" + id.getIdPart() + "-c-ssrs-risk-high");
        assertThat(escalated.getStatus()).isEqualTo(TaskStatus.REQUESTED);
        assertThat(escalated.getPriority()).isEqualTo(TaskPriority.ASAP);
        // the Flag was still active: updated in place to the worse signal, and the new Task points at it
        Flag flag = single(flagsOf(patient));
        assertThat(flag.getCode().getCoding()).extracting(Coding::getCode)
                .containsExactly("suicidal-ideation-urgent", "c-ssrs-risk-high");
        assertThat(escalated.getFocus().getReference()).isEqualTo("Flag/" + flag.getIdElement().getIdPart());

        // retried: the escalated Task exists, nothing new
        client().update().resource(amended).execute();
        assertThat(tasksOf(patient)).hasSize(2);
    }

    private String riskLevelOf(String patient) {
        Observation risk = single(search("Observation?subject=" + patient + "&code=http://loinc.org|93374-7", Observation.class));
        return risk.getValueCodeableConcept().getCodingFirstRep().getCode();
    }

    private static String evidenceOf(Flag flag) {
        return ((Reference) flag.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/flag-detail").getValue())
                .getReference();
    }

    private static <T> T single(List<T> resources) {
        assertThat(resources).hasSize(1);
        return resources.get(0);
    }

    private List<Flag> flagsOf(String patient) {
        return search("Flag?subject=" + patient, Flag.class);
    }

    private List<Task> tasksOf(String patient) {
        return search("Task?subject=" + patient, Task.class);
    }

    private <T extends Resource> List<T> search(String url, Class<T> type) {
        Bundle found = client().search().byUrl(url).returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).map(type::cast).toList();
    }

    private String newPatient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:ketafhir:test").setValue(unique("mrn"));
        patient.addName().setFamily("Signals");
        return "Patient/" + client().create().resource(patient).execute().getId().getIdPart();
    }

    private IdType create(QuestionnaireResponse response) {
        return (IdType) client().create().resource(response).execute().getId();
    }
}
