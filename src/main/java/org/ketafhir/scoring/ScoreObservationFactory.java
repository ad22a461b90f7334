package org.ketafhir.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds the outcome-score Observations of a scored response: one per computed score (total and subscales),
 * in the pattern of US Core's screening-assessment Observation. Subject, encounter and basedOn (the treatment
 * plan) are the response's; effective is when it was authored.
 */
public final class ScoreObservationFactory {

    public static final String OUTCOME_SCORE_PROFILE =
            "http://ketafhir.org/fhir/StructureDefinition/outcome-score";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    /**
     * Observations for a response that has a server id; {@code derivedFrom} is its versionless reference.
     *
     * @throws IllegalArgumentException when the result has errors or the response has no id
     */
    public List<Observation> create(ScoringResult result, QuestionnaireResponse response) {
        if (!response.getIdElement().hasIdPart()) {
            throw new IllegalArgumentException(
                    "the QuestionnaireResponse has no id: pass the reference to derive from (e.g. its urn:uuid)");
        }
        return create(result, response, new Reference("QuestionnaireResponse/" + response.getIdElement().getIdPart()));
    }

    /**
     * Observations pointing to the response by the given reference (e.g. the {@code urn:uuid:} fullUrl of a
     * transaction entry).
     *
     * @throws IllegalArgumentException when the result has errors
     */
    public List<Observation> create(ScoringResult result, QuestionnaireResponse response, Reference derivedFrom) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(derivedFrom, "derivedFrom");
        if (result.hasErrors()) {
            throw new IllegalArgumentException("a response with scoring errors yields no Observation: "
                    + result.errors().get(0).message());
        }
        List<Observation> observations = new ArrayList<>();
        for (ScoreResult score : result.computedScores()) {
            observations.add(observation(score, response, derivedFrom));
        }
        return observations;
    }

    /**
     * The Observation that records the result of the safety rule that held, when the rule names one (the C-SSRS
     * screener's risk level, LOINC 93374-7): its value is the rule's signal code. Not an outcome score, so it
     * declares no outcome-score profile.
     */
    public Optional<Observation> safetyResult(SafetyResult safety, QuestionnaireResponse response, Reference derivedFrom) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(derivedFrom, "derivedFrom");
        if (safety == null || safety.rule() == null || safety.rule().observation() == null) {
            return Optional.empty();
        }
        Observation observation = base(response, derivedFrom);
        observation.setCode(new CodeableConcept(safety.rule().observation().copy()));
        observation.setValue(new CodeableConcept(safety.rule().signal().copy()));
        return Optional.of(observation);
    }

    private static Observation observation(ScoreResult score, QuestionnaireResponse response, Reference derivedFrom) {
        Observation observation = base(response, derivedFrom);
        observation.getMeta().addProfile(OUTCOME_SCORE_PROFILE);
        observation.setCode(new CodeableConcept(score.definition().code().copy()));
        observation.setValue(new IntegerType(score.value()));
        score.bandIfAny().ifPresent(band -> observation.addInterpretation(new CodeableConcept(band.interpretation().copy())));
        if (score.prorated()) {
            observation.addNote().setText("Prorated over unanswered items, as the instrument's scoring rule allows.");
        }
        return observation;
    }

    private static Observation base(QuestionnaireResponse response, Reference derivedFrom) {
        Observation observation = new Observation();
        observation.setStatus(ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(OBSERVATION_CATEGORY, "survey", "Survey")));
        if (response.hasSubject()) {
            observation.setSubject(response.getSubject().copy());
        }
        // the treatment plan (CarePlan) and the visit the response belongs to, so a score is found by either
        response.getBasedOn().forEach(plan -> observation.addBasedOn(plan.copy()));
        if (response.hasEncounter()) {
            observation.setEncounter(response.getEncounter().copy());
        }
        if (response.hasAuthored()) {
            observation.setEffective(new DateTimeType(response.getAuthoredElement().getValueAsString()));
        }
        observation.addDerivedFrom(derivedFrom.copy());
        return observation;
    }
}
