package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

class AuditEventStoreTest {

    private final List<List<String>> transactions = Collections.synchronizedList(new ArrayList<>());

    @Test
    void shouldStoreEventsThatQueuedUpTogetherInOneTransaction() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AuditEventStore store = new AuditEventStore(events -> {
            firstStarted.countDown();
            await(release);
            transactions.add(ids(events));
        }, 1000);

        store.recordAuditEvent(event("a"));
        assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
        // While the writer stores "a", three more queue up: they go together in the next transaction.
        store.recordAuditEvent(event("b"));
        store.recordAuditEvent(event("c"));
        store.recordAuditEvent(event("d"));
        release.countDown();
        store.close();

        assertThat(transactions).containsExactly(List.of("a"), List.of("b", "c", "d"));
    }

    @Test
    void shouldNeverPutMoreThanTheMaximumInOneTransaction() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AuditEventStore store = new AuditEventStore(events -> {
            await(release);
            transactions.add(ids(events));
        }, 1000);

        for (int i = 0; i < 2 * AuditEventStore.MAX_BATCH + 1; i++) {
            store.recordAuditEvent(event("e" + i));
        }
        release.countDown();
        store.close();

        assertThat(transactions).allSatisfy(t -> assertThat(t).hasSizeLessThanOrEqualTo(AuditEventStore.MAX_BATCH));
        assertThat(transactions.stream().mapToInt(List::size).sum()).isEqualTo(2 * AuditEventStore.MAX_BATCH + 1);
    }

    @Test
    void shouldStoreTheOthersOneByOneWhenOneEventSpoilsTheBatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AuditEventStore store = new AuditEventStore(events -> {
            await(release);
            if (ids(events).contains("bad")) {
                throw new IllegalStateException("refused");
            }
            transactions.add(ids(events));
        }, 1000);

        store.recordAuditEvent(event("first"));
        store.recordAuditEvent(event("good"));
        store.recordAuditEvent(event("bad"));
        store.recordAuditEvent(event("also-good"));
        release.countDown();
        store.close();

        assertThat(transactions.stream().flatMap(List::stream)).containsExactlyInAnyOrder("first", "good", "also-good");
    }

    @Test
    void shouldStoreOnTheCallersThreadWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        AuditEventStore store = new AuditEventStore(events -> {
            threads.add(Thread.currentThread().getName());
            if (Thread.currentThread().getName().equals("audit-writer")) {
                await(release);
            }
            transactions.add(ids(events));
        }, 1);

        store.recordAuditEvent(event("taken by the writer"));
        for (int i = 0; i < 500 && threads.isEmpty(); i++) {
            Thread.sleep(10);
        }
        store.recordAuditEvent(event("queued"));
        store.recordAuditEvent(event("no room"));
        release.countDown();
        store.close();

        assertThat(threads).contains(Thread.currentThread().getName());
        assertThat(transactions.stream().flatMap(List::stream))
                .containsExactlyInAnyOrder("taken by the writer", "queued", "no room");
    }

    private static AuditEvent event(String id) {
        AuditEvent event = new AuditEvent();
        event.setId(id);
        return event;
    }

    private static List<String> ids(List<AuditEvent> events) {
        return events.stream().map(e -> e.getIdElement().getIdPart()).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
