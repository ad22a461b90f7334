package org.ketafhir.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Stores AuditEvents in this server's own database, off the request thread: one writer thread behind a bounded
 * queue, so a client waits for its own data, not for its audit record. When the queue is full the request thread
 * writes the event itself (slower, never lost). An event raised inside a database transaction (a write) is queued
 * after that transaction commits. The writes run as the server ({@link SystemRequestDetails}), which is neither
 * audited again nor subject to the client's authorization.
 */
class AuditEventStore implements IBalpAuditEventSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditEventStore.class);

    private final DaoRegistry daos;
    private final ThreadPoolExecutor writer;

    AuditEventStore(DaoRegistry daos, int queueCapacity) {
        this.daos = daos;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "audit-writer");
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    @Override
    public void recordAuditEvent(AuditEvent event) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        event.setOutcome(AuditEvent.AuditEventOutcome._4);
                    }
                    writer.execute(() -> store(event));
                }
            });
        } else {
            writer.execute(() -> store(event));
        }
    }

    private void store(AuditEvent event) {
        try {
            daos.getResourceDao(AuditEvent.class).create(event, new SystemRequestDetails());
        } catch (RuntimeException e) {
            log.error("AuditEvent could not be stored: {} {}", event.getType().getCode(), event.getAction(), e);
        }
    }

    /** On shutdown the queued events are written before the database closes. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
            log.warn("{} AuditEvents not stored at shutdown", writer.getQueue().size());
        }
    }
}
