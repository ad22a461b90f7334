package org.ketafhir.scoring;

import java.util.Date;
import java.util.UUID;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;

/**
 * {@code QuestionnaireResponse/$extract} and {@code QuestionnaireResponse/[id]/$extract}: the Observations (and the
 * safety Flag, or the review Task of a signal that raises no Flag) a response yields, in a Bundle of type collection, stored nowhere. Parameters as in the guide's
 * {@code OperationDefinition/questionnaireresponse-extract} ({@code fhir-profiles/OperationDefinition-questionnaireresponse-extract.json});
 * the work is {@link ResponseScorer}'s.
 */
public final class QuestionnaireResponseExtractProvider {

    private final ResponseScorer scorer;
    private final DaoRegistry daos;

    QuestionnaireResponseExtractProvider(ResponseScorer scorer, DaoRegistry daos) {
        this.scorer = scorer;
        this.daos = daos;
    }

    /** Type level: scores the response given in {@code questionnaire-response}. */
    @Operation(name = "$extract", idempotent = true, type = QuestionnaireResponse.class)
    public Bundle extract(
            @OperationParam(name = "questionnaire-response", min = 1, max = 1) QuestionnaireResponse response) {
        if (response == null) {
            throw new InvalidRequestException(
                    "QuestionnaireResponse/$extract needs the response to score in the parameter questionnaire-response");
        }
        Reference derivedFrom = response.getIdElement().hasIdPart()
                ? new Reference("QuestionnaireResponse/" + response.getIdElement().getIdPart())
                : new Reference().setDisplay("The QuestionnaireResponse given to $extract (not stored)");
        return extract(response, derivedFrom);
    }

    /** Instance level: scores the stored response. */
    @Operation(name = "$extract", idempotent = true, type = QuestionnaireResponse.class)
    public Bundle extractStored(
            @IdParam IdType id,
            @OperationParam(name = "questionnaire-response", max = 1) QuestionnaireResponse response,
            RequestDetails request) {
        if (response != null) {
            throw new InvalidRequestException("QuestionnaireResponse/[id]/$extract scores the stored response:"
                    + " the parameter questionnaire-response is not allowed at instance level");
        }
        QuestionnaireResponse stored =
                daos.getResourceDao(QuestionnaireResponse.class).read(id.toUnqualifiedVersionless(), request);
        return extract(stored, new Reference("QuestionnaireResponse/" + stored.getIdElement().getIdPart()));
    }

    private Bundle extract(QuestionnaireResponse response, Reference derivedFrom) {
        Instrument instrument = scorer.instrumentOf(response).orElseThrow(() -> new UnprocessableEntityException(
                "QuestionnaireResponse.questionnaire '" + response.getQuestionnaire() + "' is not an instrument this"
                        + " server scores (the guide's Questionnaires, LOINC forms http://loinc.org/q/<panel>, or a"
                        + " stored Questionnaire whose code is one of their panels)"));
        ResponseScorer.Scored scored = scorer.score(response, instrument, derivedFrom, true, new Date());

        Bundle bundle = new Bundle();
        bundle.setType(BundleType.COLLECTION);
        scored.observations().forEach(observation -> add(bundle, observation));
        scored.safetyObservation().ifPresent(observation -> add(bundle, observation));
        scored.signal().ifPresent(signal -> add(bundle, signal.flag() != null ? signal.flag() : signal.task()));
        return bundle;
    }

    private static void add(Bundle bundle, Resource resource) {
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(resource);
    }
}
