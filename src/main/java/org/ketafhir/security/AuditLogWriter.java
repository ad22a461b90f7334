package org.ketafhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.InstantType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes AuditEvents to the {@link AuditLog} before the request is answered, so the audit of every acknowledged
 * request survives a crash. An event raised inside a writing database transaction (HAPI's BALP interceptor records
 * creates, updates and deletes just before the commit) is appended in that transaction, all of its events in one
 * batch just before it commits: the write and its audit commit together or not at all. If that transaction rolls
 * back, its events are appended in a transaction of their own with the outcome "minor failure", so a failed
 * request is audited too. Events raised outside a writing transaction (reads, searches, operations, refusals) are
 * appended in a transaction of their own at once.
 */
final class AuditLogWriter implements IBalpAuditEventSink {

    private static final Logger log = LoggerFactory.getLogger(AuditLogWriter.class);

    private final AuditLog auditLog;
    private final FhirContext fhir;
    private final TransactionTemplate ownTransaction;

    AuditLogWriter(AuditLog auditLog, FhirContext fhir, PlatformTransactionManager transactions) {
        this.auditLog = auditLog;
        this.fhir = fhir;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void recordAuditEvent(AuditEvent event) {
        prepare(event);
        PendingEvents pending = pendingOfCurrentTransaction();
        if (pending != null) {
            pending.events.add(event);
        } else {
            appendInOwnTransaction(List.of(event));
        }
    }

    /**
     * Appends an event from another audit source, as given but for a server-assigned id (and the time it was
     * recorded, when it has none), in a transaction of its own. @return the id
     */
    String appendFromSource(AuditEvent event) {
        event.setId((String) null);
        prepare(event);
        ownTransaction.executeWithoutResult(status -> auditLog.append(List.of(entry(event))));
        return event.getIdElement().getIdPart();
    }

    private void prepare(AuditEvent event) {
        if (!event.getIdElement().hasIdPart()) {
            event.setId(UUID.randomUUID().toString());
        }
        if (!event.hasRecorded()) {
            event.setRecorded(new Date());
        }
        if (!event.getMeta().hasLastUpdated()) {
            event.getMeta().setLastUpdatedElement(new InstantType(event.getRecorded()));
        }
    }

    private AuditLog.Entry entry(AuditEvent event) {
        return entry(fhir, event);
    }

    /** An event as the log stores it; it must have an id and a time recorded. */
    static AuditLog.Entry entry(FhirContext fhir, AuditEvent event) {
        String json = fhir.newJsonParser().encodeResourceToString(event);
        Instant recorded = event.hasRecorded() ? event.getRecorded().toInstant()
                : event.getMeta().hasLastUpdated() ? event.getMeta().getLastUpdated().toInstant() : Instant.now();
        return new AuditLog.Entry(event.getIdElement().getIdPart(), recorded, json, AuditValues.of(event));
    }

    private void appendInOwnTransaction(List<AuditEvent> events) {
        try {
            List<AuditLog.Entry> entries = events.stream().map(this::entry).toList();
            ownTransaction.executeWithoutResult(status -> auditLog.append(entries));
        } catch (DuplicateKeyException alreadyStored) {
            // the commit of the request's transaction was reported as unknown, yet it stored them
        } catch (RuntimeException failure) {
            // Never the request's failure: it has been served. The event's kind only, no patient data.
            log.error("{} AuditEvent(s) could not be stored ({})", events.size(), failure.getClass().getSimpleName(), failure);
        }
    }

    private PendingEvents pendingOfCurrentTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()
                || TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            return null;
        }
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof PendingEvents pending && pending.writer() == this) {
                return pending;
            }
        }
        PendingEvents pending = new PendingEvents();
        TransactionSynchronizationManager.registerSynchronization(pending);
        return pending;
    }

    /** The events of one database transaction, appended just before it commits. */
    private final class PendingEvents implements TransactionSynchronization {

        private final List<AuditEvent> events = new ArrayList<>();

        AuditLogWriter writer() {
            return AuditLogWriter.this;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            auditLog.append(events.stream().map(AuditLogWriter.this::entry).toList());
        }

        @Override
        public void afterCompletion(int status) {
            if (status != STATUS_COMMITTED && !events.isEmpty()) {
                Instant failedAt = Instant.now();
                events.forEach(event -> {
                    event.setOutcome(AuditEvent.AuditEventOutcome._4);
                    event.setOutcomeDesc("the request's database transaction did not commit (" + failedAt + ")");
                });
                appendInOwnTransaction(events);
            }
        }
    }
}
