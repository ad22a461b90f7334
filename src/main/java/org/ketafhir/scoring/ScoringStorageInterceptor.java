package org.ketafhir.scoring;

import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;

/**
 * Scores outcome QuestionnaireResponses as they are stored: by a create, an update or a transaction entry.
 * Registered on HAPI's JPA interceptor service, so it runs inside the database transaction of the write, once per
 * resource (also for each entry of a transaction Bundle).
 *
 * <ul>
 *   <li>Created or updated, in a scored status (completed, amended): the response is scored; a wrong answer or
 *       client total refuses the whole write with 422. Each computed score is stored as an outcome-score
 *       Observation under an id derived from the response ({@link DerivedResourceIds}), so storing the response again
 *       updates the same Observation; a score that is no longer computed is deleted. A safety signal raises a Flag
 *       and a Task once per response: they are created if they never existed and are never touched again
 *       (closing them is the clinician's act).</li>
 *   <li>Updated to entered-in-error: its Observations become entered-in-error.</li>
 *   <li>Updated to another status (in-progress, stopped), or deleted: its Observations are deleted, before the
 *       response itself, which they refer to.</li>
 * </ul>
 *
 * <p>Why PRECOMMIT for creates and updates: at PRESTORAGE a created response has no id yet, and inside a transaction
 * Bundle its {@code urn:uuid} references are not yet replaced; at PRECOMMIT (which HAPI defers to the end of a
 * transaction Bundle) both are final, and the database transaction is still open. Writes of Questionnaires make the
 * resolver forget which stored Questionnaires name which instrument.
 */
@Interceptor
final class ScoringStorageInterceptor {

    private final ResponseScorer scorer;
    private final DerivedResourceStore store;
    private final InstrumentResolver resolver;
    private final ScoringProperties properties;

    ScoringStorageInterceptor(
            ResponseScorer scorer, DerivedResourceStore store, InstrumentResolver resolver, ScoringProperties properties) {
        this.scorer = scorer;
        this.store = store;
        this.resolver = resolver;
        this.properties = properties;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, TransactionDetails transaction) {
        if (resource instanceof Questionnaire) {
            forgetStoredQuestionnaires();
        } else if (resource instanceof QuestionnaireResponse response && properties.scores(response.getStatus())) {
            scorer.instrumentOf(response).ifPresent(instrument -> store(response, instrument, transaction));
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, TransactionDetails transaction) {
        if (resource instanceof Questionnaire) {
            forgetStoredQuestionnaires();
            return;
        }
        if (!(resource instanceof QuestionnaireResponse response)) {
            return;
        }
        String responseId = response.getIdElement().getIdPart();
        Optional<Instrument> instrument = scorer.instrumentOf(response);
        Set<String> derived = new LinkedHashSet<>(observationIds(responseId, instrument));
        if (previous instanceof QuestionnaireResponse before) {
            derived.addAll(observationIds(responseId, scorer.instrumentOf(before)));
        }

        if (response.getStatus() == QuestionnaireResponseStatus.ENTEREDINERROR) {
            store.markObservationsEnteredInError(derived, transaction);
        } else if (instrument.isPresent() && properties.scores(response.getStatus())) {
            derived.removeAll(store(response, instrument.get(), transaction));
            store.deleteObservations(derived, transaction);
        } else {
            store.deleteObservations(derived, transaction);
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting(IBaseResource resource, TransactionDetails transaction) {
        if (resource instanceof Questionnaire) {
            forgetStoredQuestionnaires();
        } else if (resource instanceof QuestionnaireResponse response) {
            String responseId = response.getIdElement().getIdPart();
            store.deleteObservations(observationIds(responseId, scorer.instrumentOf(response)), transaction);
        }
    }

    /** Scores and stores; returns the ids of the Observations stored. */
    private Set<String> store(QuestionnaireResponse response, Instrument instrument, TransactionDetails transaction) {
        String responseId = response.getIdElement().getIdPart();
        Reference evidence = new Reference("QuestionnaireResponse/" + responseId);
        ResponseScorer.Scored scored =
                scorer.score(response, instrument, evidence, properties.signals().enabled(), new Date());

        Set<String> stored = new LinkedHashSet<>();
        List<Observation> observations = scored.observations();
        for (int i = 0; i < observations.size(); i++) {
            String id = DerivedResourceIds.observation(responseId, scored.scores().get(i).definition().code());
            observations.get(i).setId(id);
            stored.add(id);
        }
        store.save(observations, transaction);
        scored.signal().ifPresent(signal -> raiseOnce(responseId, signal, transaction));
        return stored;
    }

    /**
     * A response raises its signal once: if its Flag was ever stored (even if a clinician has since closed or
     * deleted it), nothing is written again.
     */
    private void raiseOnce(String responseId, SafetySignalFactory.Signal signal, TransactionDetails transaction) {
        String flagId = DerivedResourceIds.flag(responseId);
        if (store.everExisted(Flag.class, flagId)) {
            return;
        }
        signal.flag().setId(flagId);
        store.create(signal.flag(), transaction);
        String taskId = DerivedResourceIds.task(responseId);
        if (!store.everExisted(Task.class, taskId)) {
            signal.task().setId(taskId);
            signal.task().setFocus(new Reference("Flag/" + flagId));
            store.create(signal.task(), transaction);
        }
    }

    private static List<String> observationIds(String responseId, Optional<Instrument> instrument) {
        return instrument.map(i -> i.scores().stream()
                        .map(score -> DerivedResourceIds.observation(responseId, score.code()))
                        .toList())
                .orElse(List.of());
    }

    /**
     * Now, and again when the transaction ends: a response scored concurrently must not cache what it read from
     * the Questionnaire before this write committed (or rolled back).
     */
    private void forgetStoredQuestionnaires() {
        resolver.invalidate();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    resolver.invalidate();
                }
            });
        }
    }
}
