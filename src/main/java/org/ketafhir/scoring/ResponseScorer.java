package org.ketafhir.scoring;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;

/**
 * What a scored response yields, for the storage hooks and for {@code $extract} alike: the instrument, the checked
 * scores, the outcome-score Observations and, when a safety rule holds, the Flag and Task. No persistence here.
 */
final class ResponseScorer {

    /**
     * @param observations one per computed score, in the instrument's order, paired with {@code scores}
     * @param scores the computed scores the Observations stand for
     * @param safetyObservation the result of the safety rule that held, when the rule records one (C-SSRS risk level)
     */
    record Scored(
            Instrument instrument,
            ScoringResult result,
            List<ScoreResult> scores,
            List<Observation> observations,
            Optional<Observation> safetyObservation,
            Optional<SafetySignalFactory.Signal> signal) {}

    private final InstrumentResolver resolver;
    private final ScoringProcessor processor;
    private final ScoreObservationFactory observationFactory;
    private final SafetySignalFactory signalFactory;

    ResponseScorer(
            InstrumentResolver resolver,
            ScoringProcessor processor,
            ScoreObservationFactory observationFactory,
            SafetySignalFactory signalFactory) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.observationFactory = Objects.requireNonNull(observationFactory, "observationFactory");
        this.signalFactory = Objects.requireNonNull(signalFactory, "signalFactory");
    }

    Optional<Instrument> instrumentOf(QuestionnaireResponse response) {
        return resolver.resolve(response);
    }

    /**
     * Scores a response of a known instrument.
     *
     * @param derivedFrom how the Observations, Flag and Task refer to the response
     * @param withSignal whether to build the Flag and Task when a safety rule holds
     * @throws UnprocessableEntityException (422) when an answer or a client-sent total is wrong, or the response
     *     lacks the patient or the time it was answered
     */
    Scored score(QuestionnaireResponse response, Instrument instrument, Reference derivedFrom, boolean withSignal,
            Date now) {
        ScoringResult result = processor.score(response, instrument);
        if (result.hasErrors()) {
            throw ScoringRefusal.of(result.errors());
        }
        requirePatientAndTime(response, instrument);
        List<ScoreResult> scores = new ArrayList<>(result.computedScores());
        List<Observation> observations = observationFactory.create(result, response, derivedFrom);
        Optional<Observation> safetyObservation = observationFactory.safetyResult(result.safety(), response, derivedFrom);
        Optional<SafetySignalFactory.Signal> signal = withSignal
                ? signalFactory.create(result.safety(), response, derivedFrom, now)
                : Optional.empty();
        return new Scored(instrument, result, scores, observations, safetyObservation, signal);
    }

    /** The outcome-score and safety-flag profiles require both, and a course of scores is placed by them. */
    private static void requirePatientAndTime(QuestionnaireResponse response, Instrument instrument) {
        Reference subject = response.getSubject();
        boolean patient = "Patient".equals(subject.getReferenceElement().getResourceType())
                || (!subject.hasReference() && "Patient".equals(subject.getType()));
        if (!patient) {
            throw ScoringRefusal.of("A response to " + instrument.title() + " (" + instrument.url() + ") is scored for a"
                    + " patient: QuestionnaireResponse.subject must refer to the Patient", "QuestionnaireResponse.subject");
        }
        if (!response.hasAuthored()) {
            throw ScoringRefusal.of("A response to " + instrument.title() + " (" + instrument.url() + ") is scored at the"
                    + " time it was answered: QuestionnaireResponse.authored is required", "QuestionnaireResponse.authored");
        }
    }
}
