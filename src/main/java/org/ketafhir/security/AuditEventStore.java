package org.ketafhir.security;

import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Stores AuditEvents in this server's own database, off the request thread: one writer thread behind a bounded
 * queue, so a client waits for its own data, not for its audit record. The writer stores what has queued up in one
 * database transaction (up to {@link #MAX_BATCH} events): an ingest of a 135-entry transaction Bundle raises 135
 * events, and one commit per event was a third of the server's CPU. When a batch fails, its events are stored one
 * by one, so one bad event loses only itself. When the queue is full the request thread stores its event itself
 * (slower, never lost). An event raised inside a database transaction (a write) is queued after that transaction
 * completes. The writes run as the server, which is neither audited again nor subject to the client's authorization.
 */
class AuditEventStore implements IBalpAuditEventSink, AutoCloseable {

    static final int MAX_BATCH = 200;

    private static final Logger log = LoggerFactory.getLogger(AuditEventStore.class);

    private final Consumer<List<AuditEvent>> storeInOneTransaction;
    private final BlockingQueue<AuditEvent> queue;
    private final Thread writer;
    private volatile boolean closing;

    /**
     * @param storeInOneTransaction stores the events given in one database transaction, or throws and stores none
     */
    AuditEventStore(Consumer<List<AuditEvent>> storeInOneTransaction, int queueCapacity) {
        this.storeInOneTransaction = storeInOneTransaction;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = new Thread(this::writeUntilClosed, "audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
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
                    enqueue(event);
                }
            });
        } else {
            enqueue(event);
        }
    }

    private void enqueue(AuditEvent event) {
        if (closing || !queue.offer(event)) {
            store(List.of(event));
        }
    }

    private void writeUntilClosed() {
        List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void store(List<AuditEvent> events) {
        try {
            storeInOneTransaction.accept(events);
        } catch (RuntimeException batchFailure) {
            if (events.size() == 1) {
                AuditEvent event = events.get(0);
                log.error("AuditEvent could not be stored: {} {}", event.getType().getCode(), event.getAction(),
                        batchFailure);
                return;
            }
            log.warn("A batch of {} AuditEvents could not be stored together; storing them one by one",
                    events.size(), batchFailure);
            events.forEach(event -> store(List.of(event)));
        }
    }

    /** Events still queued; for tests and shutdown. */
    int queued() {
        return queue.size();
    }

    /** On shutdown the queued events are written before the database closes. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        writer.join(TimeUnit.SECONDS.toMillis(30));
        if (writer.isAlive()) {
            log.warn("{} AuditEvents not stored at shutdown", queue.size());
        }
    }
}
