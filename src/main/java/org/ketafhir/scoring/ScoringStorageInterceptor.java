package org.ketafhir.scoring;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Flag.FlagStatus;
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
 *       and a Task once per response; a new version of the response with a worse signal escalates them, a signal
 *       as severe or less leaves them alone (closing them is the clinician's act).</li>
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
    private final ScoredStatuses scoredStatuses;

    ScoringStorageInterceptor(
            ResponseScorer scorer, DerivedResourceStore store, InstrumentResolver resolver, ScoringProperties properties) {
        this.scorer = scorer;
        this.store = store;
        this.resolver = resolver;
        this.properties = properties;
        this.scoredStatuses = properties.statuses();
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, TransactionDetails transaction) {
        if (resource instanceof Questionnaire) {
            forgetStoredQuestionnaires();
        } else if (resource instanceof QuestionnaireResponse response && scoredStatuses.counts(response.getStatus())) {
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
        } else if (instrument.isPresent() && scoredStatuses.counts(response.getStatus())) {
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
        scored.safetyObservation().ifPresent(observation -> {
            String id = DerivedResourceIds.observation(responseId, observation.getCode().getCodingFirstRep());
            observation.setId(id);
            stored.add(id);
        });
        List<Observation> all = new ArrayList<>(observations);
        scored.safetyObservation().ifPresent(all::add);
        store.save(all, transaction);
        if (scored.signal().isPresent()) {
            raise(responseId, scored, transaction);
        }
        return stored;
    }

    /**
     * Raises the response's signal, or escalates the one already raised for it. Each of the Flag and the Task is
     * written when it never existed; when it exists and the new signal is worse ({@link SignalEscalation}) it is
     * updated in place while the clinician has not closed it (a Task's priority only ever goes up), and else a new
     * one is raised for the worse signal, once. A signal as severe as the stored one, or less, writes nothing: a
     * retried request, or an amendment to a lower answer, leaves what is there. In-place updates carry the version
     * read, so a concurrent write makes one of the two requests fail with 409 rather than lower the other's signal.
     */
    private void raise(String responseId, ResponseScorer.Scored scored, TransactionDetails transaction) {
        SafetySignalFactory.Signal signal = scored.signal().orElseThrow();
        SafetyRule rule = scored.result().safety().rule();
        String flagId = signal.flag() == null
                ? null
                : raiseFlag(responseId, scored.instrument(), rule, signal.flag(), transaction);
        raiseTask(responseId, scored.instrument(), rule, signal.task(), flagId, transaction);
    }

    /** @return the id of the Flag written, or null when none was */
    private String raiseFlag(
            String responseId, Instrument instrument, SafetyRule rule, Flag flag, TransactionDetails transaction) {
        String flagId = DerivedResourceIds.flag(responseId);
        Optional<DerivedResourceStore.Stored<Flag>> stored = store.latest(Flag.class, flagId);
        if (stored.isEmpty()) {
            flag.setId(flagId);
            store.create(flag, transaction);
            return flagId;
        }
        Flag before = stored.get().resource();
        if (before != null && !SignalEscalation.escalates(instrument, rule, before.getCode())) {
            return null;
        }
        if (!stored.get().deleted() && before.getStatus() == FlagStatus.ACTIVE) {
            before.setCode(flag.getCode());
            before.setId(before.getIdElement().toUnqualified());
            store.replace(before, transaction);
            return flagId;
        }
        if (everEscalated(Flag.class, responseId, instrument, rule, DerivedResourceIds::flag)) {
            return null;
        }
        String escalatedId = DerivedResourceIds.flag(responseId, rule.signal());
        flag.setId(escalatedId);
        store.create(flag, transaction);
        return escalatedId;
    }

    private void raiseTask(String responseId, Instrument instrument, SafetyRule rule, Task task, String flagId,
            TransactionDetails transaction) {
        if (flagId != null) {
            task.setFocus(new Reference("Flag/" + flagId));
        }
        String taskId = DerivedResourceIds.task(responseId);
        Optional<DerivedResourceStore.Stored<Task>> stored = store.latest(Task.class, taskId);
        if (stored.isEmpty()) {
            task.setId(taskId);
            store.create(task, transaction);
            return;
        }
        Task before = stored.get().resource();
        if (before != null && !SignalEscalation.escalates(instrument, rule, before.getReasonCode())) {
            return;
        }
        if (!stored.get().deleted() && SignalEscalation.isOpen(before.getStatus())) {
            before.setPriority(SignalEscalation.higher(before.getPriority(), task.getPriority()));
            before.setReasonCode(task.getReasonCode());
            before.setDescription(task.getDescription());
            before.setLastModified(task.getLastModified());
            if (flagId != null) {
                before.setFocus(task.getFocus());
            }
            before.setId(before.getIdElement().toUnqualified());
            store.replace(before, transaction);
            return;
        }
        if (everEscalated(Task.class, responseId, instrument, rule, DerivedResourceIds::task)) {
            return;
        }
        task.setId(DerivedResourceIds.task(responseId, rule.signal()));
        store.create(task, transaction);
    }

    /** Whether a resource was already raised for this signal, or a worse one, after the first was closed. */
    private boolean everEscalated(Class<? extends IBaseResource> type, String responseId, Instrument instrument,
            SafetyRule rule, BiFunction<String, Coding, String> idOf) {
        return SignalEscalation.asSevereOrMore(instrument, rule).stream()
                .anyMatch(r -> store.everExisted(type, idOf.apply(responseId, r.signal())));
    }

    /** The ids of every Observation the instrument can derive from the response: its scores and safety results. */
    private static List<String> observationIds(String responseId, Optional<Instrument> instrument) {
        return instrument.map(i -> Stream.concat(
                                i.scores().stream().map(ScoreDefinition::code), i.safetyObservationCodes().stream())
                        .map(code -> DerivedResourceIds.observation(responseId, code))
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
