package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ketafhir.scoring.OutcomeResponses.phq9;
import static org.ketafhir.scoring.OutcomeResponses.phq9WithTotal;

import java.net.http.HttpResponse;
import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;

import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;

/** Outcome scores derived on write: QuestionnaireResponse in, outcome-score Observations stored beside it. */
class ScoringIT extends FhirServerTestBase {

    private static final String AUTHORED = "2026-03-02T09:30:00+01:00";

    @Test
    void aCompletedPhq9ShouldYieldExactlyOneTotalWithItsBand() {
        String patient = newPatient();
        // 1+2+0+3+1+0+2+1+0 = 10 -> moderate (10-14)
        IdType response = create(phq9(patient, AUTHORED, 1, 2, 0, 3, 1, 0, 2, 1, 0));

        List<Observation> scores = derivedFrom(response);

        assertThat(scores).singleElement().satisfies(total -> {
            assertThat(total.getIdElement().getIdPart()).isEqualTo("score-" + response.getIdPart() + "-44261-6");
            assertThat(total.getMeta().getProfile()).extracting(p -> p.getValue())
                    .contains("http://ketafhir.org/fhir/StructureDefinition/outcome-score");
            assertThat(total.getStatus()).isEqualTo(ObservationStatus.FINAL);
            assertThat(total.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("survey");
            assertThat(total.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
            assertThat(total.getCode().getCodingFirstRep().getCode()).isEqualTo("44261-6");
            assertThat(total.getValueIntegerType().getValue()).isEqualTo(10);
            assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("phq-9-moderate");
            assertThat(total.getEffectiveDateTimeType().getValueAsString()).isEqualTo(AUTHORED);
            assertThat(total.getSubject().getReference()).isEqualTo(patient);
            assertThat(total.getDerivedFromFirstRep().getReference())
                    .isEqualTo("QuestionnaireResponse/" + response.getIdPart());
        });
    }

    @Test
    void updatingTheResponseShouldUpdateTheSameObservationNotAddOne() {
        String patient = newPatient();
        // 1+1+1+1+1+1+1+1+0 = 8 -> mild (5-9)
        IdType response = create(phq9(patient, AUTHORED, 1, 1, 1, 1, 1, 1, 1, 1, 0));
        Observation before = derivedFrom(response).get(0);
        assertThat(before.getValueIntegerType().getValue()).isEqualTo(8);

        // item 1 and item 2 from 1 to 3: 3+3+1+1+1+1+1+1+0 = 12 -> moderate
        QuestionnaireResponse amended = phq9(patient, AUTHORED, 3, 3, 1, 1, 1, 1, 1, 1, 0);
        amended.setId(response.toUnqualifiedVersionless());
        amended.setStatus(QuestionnaireResponseStatus.AMENDED);
        client().update().resource(amended).execute();

        List<Observation> after = derivedFrom(response);
        assertThat(after).singleElement().satisfies(total -> {
            assertThat(total.getIdElement().getIdPart()).isEqualTo(before.getIdElement().getIdPart());
            assertThat(total.getMeta().getVersionId()).isEqualTo("2");
            assertThat(total.getValueIntegerType().getValue()).isEqualTo(12);
            assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("phq-9-moderate");
        });
        assertThat(observationsOf(patient)).hasSize(1);
    }

    @Test
    void aWrongClientTotalShouldBeRefusedWith422NamingBothNumbersAndStoreNothing() {
        String patient = newPatient();
        // nine answers of 1 add up to 9; the client says 11
        QuestionnaireResponse response = phq9WithTotal(patient, AUTHORED, 11, 1, 1, 1, 1, 1, 1, 1, 1, 1);

        HttpResponse<String> refused = postJson("/QuestionnaireResponse", json(response));

        assertThat(refused.statusCode()).isEqualTo(422);
        OperationOutcome outcome = parse(OperationOutcome.class, refused.body());
        assertThat(outcome.getIssue()).anySatisfy(issue -> assertThat(issue.getDiagnostics())
                .contains("44261-6").contains("total of 11").contains("add up to 9"));
        assertThat(client().search().byUrl("QuestionnaireResponse?subject=" + patient)
                .returnBundle(Bundle.class).execute().getEntry()).isEmpty();
        assertThat(observationsOf(patient)).isEmpty();
    }

    @Test
    void aRightClientTotalShouldBeAccepted() {
        String patient = newPatient();
        // 2 x 9 = 18 -> moderately severe (15-19), and the client says 18
        IdType response = create(phq9WithTotal(patient, AUTHORED, 18, 2, 2, 2, 2, 2, 2, 2, 2, 2));

        assertThat(derivedFrom(response)).singleElement()
                .satisfies(total -> assertThat(total.getValueIntegerType().getValue()).isEqualTo(18));
    }

    @Test
    void aTransactionWithACourseShouldYieldOneTotalPerResponseFoundInTimeOrder() {
        String patientUrn = "urn:uuid:" + java.util.UUID.randomUUID();
        Bundle course = new Bundle().setType(BundleType.TRANSACTION);
        Patient patientResource = new Patient();
        patientResource.addIdentifier().setSystem("urn:ketafhir:test").setValue(unique("mrn"));
        course.addEntry().setFullUrl(patientUrn).setResource(patientResource)
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        // Bundle order is not time order: weeks 2, 0, 4, 1, 3 of the course.
        // week 0: 3 x 8 + 0 = 24; week 1: 3+3+3+3+3+3+0+0+0 = 18; week 2: 3+3+3+3+0+0+0+0+0 = 12;
        // week 3: 3+3+1+0+0+0+0+0+0 = 7; week 4: 1+1+1+0+0+0+0+0+0 = 3
        addResponse(course, patientUrn, "2026-03-16T10:00:00Z", 3, 3, 3, 3, 0, 0, 0, 0, 0);
        addResponse(course, patientUrn, "2026-03-02T10:00:00Z", 3, 3, 3, 3, 3, 3, 3, 3, 0);
        addResponse(course, patientUrn, "2026-03-30T10:00:00Z", 1, 1, 1, 0, 0, 0, 0, 0, 0);
        addResponse(course, patientUrn, "2026-03-09T10:00:00Z", 3, 3, 3, 3, 3, 3, 0, 0, 0);
        addResponse(course, patientUrn, "2026-03-23T10:00:00Z", 3, 3, 1, 0, 0, 0, 0, 0, 0);

        Bundle response = client().transaction().withBundle(course).execute();
        String patient = response.getEntry().get(0).getResponse().getLocation().replaceAll("/_history/.*", "");

        assertThat(observationsOf(patient)).hasSize(5);
        Bundle inTimeOrder = client().search()
                .byUrl("Observation?code=http://loinc.org|44261-6&subject=" + patient + "&_sort=date")
                .returnBundle(Bundle.class).execute();
        assertThat(inTimeOrder.getEntry()).extracting(e -> ((Observation) e.getResource()).getValueIntegerType().getValue())
                .containsExactly(24, 18, 12, 7, 3);
        assertThat(inTimeOrder.getEntry()).extracting(e -> ((Observation) e.getResource()).getDerivedFromFirstRep()
                .getReference()).doesNotHaveDuplicates().allSatisfy(r -> assertThat(r).startsWith("QuestionnaireResponse/"));
    }

    @Test
    void aWrongTotalInATransactionShouldRefuseTheWholeTransaction() {
        String mrn = unique("mrn");
        String patientUrn = "urn:uuid:" + java.util.UUID.randomUUID();
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        Patient patientResource = new Patient();
        patientResource.addIdentifier().setSystem("urn:ketafhir:test").setValue(mrn);
        bundle.addEntry().setFullUrl(patientUrn).setResource(patientResource)
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        // right: 1 x 9 = 9
        addResponse(bundle, patientUrn, "2026-03-02T10:00:00Z", 1, 1, 1, 1, 1, 1, 1, 1, 1);
        // wrong: 2 x 9 = 18, the client says 17
        bundle.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
                .setResource(phq9WithTotal(patientUrn, "2026-03-09T10:00:00Z", 17, 2, 2, 2, 2, 2, 2, 2, 2, 2))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("QuestionnaireResponse");

        HttpResponse<String> refused = postJson("", json(bundle));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("total of 17").contains("add up to 18");
        assertThat(client().search().byUrl("Patient?identifier=urn:ketafhir:test|" + mrn)
                .returnBundle(Bundle.class).execute().getEntry()).isEmpty();
    }

    @Test
    void aResponsePutTwiceInTransactionsShouldKeepOneObservation() {
        String patient = newPatient();
        String responseId = unique("phq9");
        // 1+1+1+1+1+0+0+0+0 = 5 -> mild (5-9)
        putInTransaction(responseId, phq9(patient, AUTHORED, 1, 1, 1, 1, 1, 0, 0, 0, 0));
        // item 6 and 7 from 0 to 3: 5 + 3 + 3 = 11 -> moderate (10-14)
        putInTransaction(responseId, phq9(patient, AUTHORED, 1, 1, 1, 1, 1, 3, 3, 0, 0));

        assertThat(observationsOf(patient)).singleElement().satisfies(total -> {
            assertThat(total.getIdElement().getIdPart()).isEqualTo("score-" + responseId + "-44261-6");
            assertThat(total.getValueIntegerType().getValue()).isEqualTo(11);
            assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("phq-9-moderate");
        });
    }

    private void putInTransaction(String id, QuestionnaireResponse response) {
        response.setId("QuestionnaireResponse/" + id);
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl(baseUrl() + "/QuestionnaireResponse/" + id).setResource(response)
                .getRequest().setMethod(HTTPVerb.PUT).setUrl("QuestionnaireResponse/" + id);
        client().transaction().withBundle(bundle).execute();
    }

    @Test
    void aLoincFormWithPathLinkIdsAndIntegerAnswersShouldScoreTheSame() {
        String patient = newPatient();
        QuestionnaireResponse response = OutcomeResponses.completed("http://loinc.org/q/44249-1", patient, AUTHORED);
        int[] answers = {1, 2, 0, 3, 1, 0, 2, 1, 0};
        for (int i = 0; i < answers.length; i++) {
            response.addItem().setLinkId("/44249-1/" + OutcomeResponses.PHQ9_ITEMS[i]).addAnswer()
                    .setValue(new IntegerType(answers[i]));
        }

        IdType id = create(response);

        // 1+2+0+3+1+0+2+1+0 = 10 -> moderate, as with the guide's form
        assertThat(derivedFrom(id)).singleElement().satisfies(total -> {
            assertThat(total.getValueIntegerType().getValue()).isEqualTo(10);
            assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("phq-9-moderate");
        });
    }

    @Test
    void aResponseToAStoredQuestionnaireWithThePhq9PanelCodeShouldBeScored() {
        Questionnaire local = new Questionnaire();
        local.setUrl("http://clinic.example/Questionnaire/" + unique("phq9"));
        local.setStatus(PublicationStatus.ACTIVE);
        local.addCode(new Coding("http://loinc.org", "44249-1", "PHQ-9 quick depression assessment panel"));
        for (String linkId : OutcomeResponses.PHQ9_ITEMS) {
            local.addItem().setLinkId(linkId).setType(QuestionnaireItemType.CHOICE);
        }
        IdType questionnaire = (IdType) client().create().resource(local).execute().getId();
        String patient = newPatient();

        // by canonical url: 3+3+3+3+3+3+3+3+0 = 24 -> severe (20-27)
        QuestionnaireResponse byUrl = phq9(patient, AUTHORED, 3, 3, 3, 3, 3, 3, 3, 3, 0);
        byUrl.setQuestionnaire(local.getUrl());
        // by reference to the stored resource: 0 x 9 = 0 -> minimal (0-4)
        QuestionnaireResponse byReference = phq9(patient, "2026-03-09T09:30:00+01:00", 0, 0, 0, 0, 0, 0, 0, 0, 0);
        byReference.setQuestionnaire("Questionnaire/" + questionnaire.getIdPart());

        assertThat(derivedFrom(create(byUrl))).singleElement().satisfies(total -> {
            assertThat(total.getValueIntegerType().getValue()).isEqualTo(24);
            assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("phq-9-severe");
        });
        assertThat(derivedFrom(create(byReference))).singleElement()
                .satisfies(total -> assertThat(total.getValueIntegerType().getValue()).isZero());
    }

    @Test
    void aResponseInProgressShouldNotBeScored() {
        String patient = newPatient();
        QuestionnaireResponse draft = phq9(patient, AUTHORED, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        draft.setStatus(QuestionnaireResponseStatus.INPROGRESS);

        create(draft);

        assertThat(observationsOf(patient)).isEmpty();
    }

    @Test
    void deletingTheResponseShouldDeleteItsObservations() {
        String patient = newPatient();
        IdType response = create(phq9(patient, AUTHORED, 1, 2, 0, 3, 1, 0, 2, 1, 0));
        Observation total = derivedFrom(response).get(0);

        client().delete().resourceById(response.toUnqualifiedVersionless()).execute();

        assertThat(observationsOf(patient)).isEmpty();
        assertThatThrownBy(() -> client().read().resource(Observation.class)
                .withId(total.getIdElement().getIdPart()).execute()).isInstanceOf(ResourceGoneException.class);
    }

    @Test
    void aResponseEnteredInErrorShouldMarkItsObservationsEnteredInError() {
        String patient = newPatient();
        QuestionnaireResponse response = phq9(patient, AUTHORED, 1, 2, 0, 3, 1, 0, 2, 1, 0);
        IdType id = create(response);

        response.setId(id.toUnqualifiedVersionless());
        response.setStatus(QuestionnaireResponseStatus.ENTEREDINERROR);
        client().update().resource(response).execute();

        assertThat(derivedFrom(id)).singleElement().satisfies(total -> {
            assertThat(total.getStatus()).isEqualTo(ObservationStatus.ENTEREDINERROR);
            assertThat(total.getValueIntegerType().getValue()).isEqualTo(10);
        });
    }

    @Test
    void extractOnAStoredResponseShouldReturnTheObservationsAndStoreNothing() {
        String patient = newPatient();
        // 2+2+2+2+2+0+0+0+0 = 10 -> moderate
        IdType id = create(phq9(patient, AUTHORED, 2, 2, 2, 2, 2, 0, 0, 0, 0));

        HttpResponse<String> extracted = postJson("/QuestionnaireResponse/" + id.getIdPart() + "/$extract",
                json(new Parameters()));

        assertThat(extracted.statusCode()).isEqualTo(200);
        Bundle bundle = parse(Bundle.class, extracted.body());
        assertThat(bundle.getType()).isEqualTo(BundleType.COLLECTION);
        assertThat(bundle.getEntry()).singleElement().satisfies(entry -> {
            Observation total = (Observation) entry.getResource();
            assertThat(total.getValueIntegerType().getValue()).isEqualTo(10);
            assertThat(total.getDerivedFromFirstRep().getReference()).isEqualTo("QuestionnaireResponse/" + id.getIdPart());
        });
        assertThat(observationsOf(patient)).hasSize(1); // the one stored with the response, no more
    }

    @Test
    void extractOnAGivenResponseShouldReturnTheObservationsAndStoreNothing() {
        String patient = newPatient();
        // 3+3+3+3+3+0+0+0+0 = 15 -> moderately severe (15-19)
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("questionnaire-response")
                .setResource(phq9(patient, AUTHORED, 3, 3, 3, 3, 3, 0, 0, 0, 0));

        Bundle bundle = client().operation().onType(QuestionnaireResponse.class).named("$extract")
                .withParameters(parameters).returnResourceType(Bundle.class).execute();

        assertThat(bundle.getEntry()).extracting(Bundle.BundleEntryComponent::getResource)
                .singleElement().isInstanceOfSatisfying(Observation.class, total -> {
                    assertThat(total.getValueIntegerType().getValue()).isEqualTo(15);
                    assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getCode())
                            .isEqualTo("phq-9-moderately-severe");
                });
        assertThat(observationsOf(patient)).isEmpty();
        assertThat(client().search().byUrl("QuestionnaireResponse?subject=" + patient)
                .returnBundle(Bundle.class).execute().getEntry()).isEmpty();
    }

    @Test
    void extractShouldRefuseAWrongTotalWithBothNumbers() {
        Parameters parameters = new Parameters();
        // 0 x 9 = 0, the client says 5
        parameters.addParameter().setName("questionnaire-response")
                .setResource(phq9WithTotal(newPatient(), AUTHORED, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0));

        HttpResponse<String> refused = postJson("/QuestionnaireResponse/$extract", json(parameters));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("44261-6").contains("total of 5").contains("add up to 0");
    }

    @Test
    void theCapabilityStatementShouldListExtract() {
        CapabilityStatement capabilities = client().capabilities().ofType(CapabilityStatement.class).execute();

        assertThat(capabilities.getRestFirstRep().getResource())
                .filteredOn(r -> r.getType().equals("QuestionnaireResponse"))
                .singleElement()
                .satisfies(r -> assertThat(r.getOperation()).extracting(o -> o.getName()).contains("extract"));
    }

    private void addResponse(Bundle course, String patientUrn, String authored, int... answers) {
        course.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
                .setResource(phq9(patientUrn, authored, answers))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("QuestionnaireResponse");
    }

    private String newPatient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:ketafhir:test").setValue(unique("mrn"));
        patient.addName().setFamily("Scoring");
        return "Patient/" + client().create().resource(patient).execute().getId().getIdPart();
    }

    private IdType create(QuestionnaireResponse response) {
        return (IdType) client().create().resource(response).execute().getId();
    }

    private List<Observation> derivedFrom(IdType response) {
        return observations("Observation?derived-from=QuestionnaireResponse/" + response.getIdPart());
    }

    private List<Observation> observationsOf(String patient) {
        return observations("Observation?subject=" + patient);
    }

    private List<Observation> observations(String url) {
        Bundle found = client().search().byUrl(url).returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .map(Resource.class::cast).map(Observation.class::cast).toList();
    }
}
