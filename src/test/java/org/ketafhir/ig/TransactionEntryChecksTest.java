package org.ketafhir.ig;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

class TransactionEntryChecksTest {

    private static final ValidationResult CLEAN = new ValidationResult(null, List.of());

    private static List<IBaseResource> observations(int count) {
        List<IBaseResource> resources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            resources.add(new Observation().setId("o" + i));
        }
        return resources;
    }

    private static TransactionEntryChecks.Checked checked(IBaseResource resource) {
        return new TransactionEntryChecks.Checked(resource.getIdElement().getIdPart(), Set.of(), CLEAN);
    }

    @Test
    void shouldCheckEveryEntryOnceAndUseTheHelperBesideTheRequestThread() throws Exception {
        Map<String, String> checkedBy = new ConcurrentHashMap<>();
        CountDownLatch bothStarted = new CountDownLatch(2);
        Function<IBaseResource, TransactionEntryChecks.Checked> check = resource -> {
            assertThat(checkedBy.put(resource.getIdElement().getIdPart(), Thread.currentThread().getName())).isNull();
            bothStarted.countDown();
            try {
                bothStarted.await(5, TimeUnit.SECONDS); // each thread takes one entry before either goes on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return checked(resource);
        };
        List<IBaseResource> resources = observations(20);
        try (TransactionEntryChecks checks = new TransactionEntryChecks(check, 2)) {
            Map<IBaseResource, TransactionEntryChecks.Checked> results = checks.checkAll(resources);

            assertThat(results).hasSize(20);
            resources.forEach(resource -> assertThat(results.get(resource).json())
                    .isEqualTo(resource.getIdElement().getIdPart()));
            assertThat(checkedBy).hasSize(20);
            assertThat(Set.copyOf(checkedBy.values())).contains(Thread.currentThread().getName())
                    .anyMatch(name -> name.startsWith("guide-check-"));
        }
    }

    @Test
    void anEntryWhoseCheckThrowsOrNeedsNoneShouldBeLeftToTheCheckInsideTheTransaction() {
        Function<IBaseResource, TransactionEntryChecks.Checked> check = resource -> switch (
                resource.getIdElement().getIdPart()) {
            case "o1" -> throw new IllegalStateException("validator failed");
            case "o2" -> null;
            default -> checked(resource);
        };
        List<IBaseResource> resources = observations(4);
        try (TransactionEntryChecks checks = new TransactionEntryChecks(check, 2)) {
            Map<IBaseResource, TransactionEntryChecks.Checked> results = checks.checkAll(resources);

            assertThat(results).containsOnlyKeys(resources.get(0), resources.get(3));
        }
    }

    @Test
    void whenEveryHelperIsBusyTheRequestThreadShouldCheckItsEntriesAlone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch helperBusy = new CountDownLatch(1);
        Map<String, String> checkedBy = new ConcurrentHashMap<>();
        Function<IBaseResource, TransactionEntryChecks.Checked> check = resource -> {
            checkedBy.put(resource.getIdElement().getIdPart(), Thread.currentThread().getName());
            if (resource.getIdElement().getIdPart().startsWith("slow")) {
                if (Thread.currentThread().getName().startsWith("guide-check-")) {
                    helperBusy.countDown();
                }
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return checked(resource);
        };
        try (TransactionEntryChecks checks = new TransactionEntryChecks(check, 2)) {
            // another request's transaction occupies the only helper
            List<IBaseResource> slow = List.of(new Observation().setId("slow1"), new Observation().setId("slow2"));
            Thread other = new Thread(() -> checks.checkAll(slow), "other-request");
            other.start();
            assertThat(helperBusy.await(5, TimeUnit.SECONDS)).isTrue();

            Map<IBaseResource, TransactionEntryChecks.Checked> results = checks.checkAll(observations(5));

            // answered while the helper is still held, all on this thread
            assertThat(release.getCount()).isEqualTo(1);
            assertThat(results).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(checkedBy.get("o" + i)).isEqualTo(Thread.currentThread().getName());
            }
            release.countDown();
            other.join(5000);
        }
    }

    @Test
    void aTransactionThatChangesAProfileOrCodeListShouldBeLeftToTheCheckInsideIt() {
        AtomicInteger checks = new AtomicInteger();
        Function<IBaseResource, TransactionEntryChecks.Checked> check = resource -> {
            checks.incrementAndGet();
            return checked(resource);
        };
        try (TransactionEntryChecks entryChecks = new TransactionEntryChecks(check, 1)) {
            assertThat(checkedBefore(entryChecks, transaction(Bundle.HTTPVerb.POST, "Patient", new Patient()))).isTrue();
            assertThat(checks.get()).isEqualTo(2);

            assertThat(checkedBefore(entryChecks, transaction(Bundle.HTTPVerb.PUT, "StructureDefinition/x",
                    new StructureDefinition()))).isFalse();
            assertThat(checkedBefore(entryChecks, transaction(Bundle.HTTPVerb.DELETE, "ValueSet/x", null))).isFalse();
            assertThat(checkedBefore(entryChecks,
                    transaction(Bundle.HTTPVerb.DELETE, "CodeSystem?url=http://example.org/cs", null))).isFalse();
            assertThat(checks.get()).isEqualTo(2);
        }
    }

    @Test
    void aBatchShouldNotBeCheckedBeforehand() {
        try (TransactionEntryChecks entryChecks = new TransactionEntryChecks(TransactionEntryChecksTest::checked, 1)) {
            Bundle batch = transaction(Bundle.HTTPVerb.POST, "Patient", new Patient()).setType(Bundle.BundleType.BATCH);
            assertThat(checkedBefore(entryChecks, batch)).isFalse();
        }
    }

    /** An Observation posted, then an entry of the given method, URL and body. */
    private static Bundle transaction(Bundle.HTTPVerb method, String url, IBaseResource resource) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setResource(new Observation().setId("o0")).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        Bundle.BundleEntryComponent entry = bundle.addEntry();
        if (resource != null) {
            entry.setResource((org.hl7.fhir.r4.model.Resource) resource.setId("e1"));
        }
        entry.getRequest().setMethod(method).setUrl(url);
        return bundle;
    }

    private static boolean checkedBefore(TransactionEntryChecks entryChecks, Bundle bundle) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setResource(bundle);
        entryChecks.beforeTransaction(request, RestOperationTypeEnum.TRANSACTION);
        return !request.getUserData().isEmpty();
    }
}
