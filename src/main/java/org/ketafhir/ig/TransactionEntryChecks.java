package org.ketafhir.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Checks the entries of a transaction Bundle against the guide's profiles before HAPI opens the transaction's
 * database transaction, several entries at a time: the request's own thread and up to {@code threads - 1} helpers
 * take entries from one list, so with one client the other core validates too, and the database transaction holds
 * its connection and locks only for the writes.
 *
 * <p>Nothing is decided here. The results wait in the request, and {@link ProfileEnforcingInterceptor} uses an
 * entry's result when HAPI stores that very resource object, and only if the resource still encodes to the same JSON
 * and needs the same profiles as when it was checked; otherwise it validates it there, as it does every write
 * outside a transaction. So a transaction gets exactly the findings it got when every entry was checked inside the
 * database transaction: a refused entry still rolls the whole transaction back with the same 422, an entry HAPI does
 * not store (a conditional create that matched) is still not refused, and an entry whose check threw here is checked
 * again where its error belongs. Validation reads no record (references are not resolved), so it sees the same
 * server whether inside the transaction or before it; a transaction that writes conformance resources (profiles, code
 * lists, questionnaires), or patches or deletes one, is left wholly to the in-transaction check, whose later entries
 * see the change.
 *
 * <p>Helpers are never queued: when every helper is busy with other requests, the request thread checks its own
 * entries alone.
 */
@Interceptor
public class TransactionEntryChecks implements AutoCloseable {

    /** After HAPI's authorization and the SMART scope checks: a request they refuse costs no validation. */
    static final int ORDER = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR + 10;

    private static final String CHECKED = TransactionEntryChecks.class.getName() + ".checked";

    /** Resource types whose writes change what validation itself sees. */
    private static final Set<String> CONFORMANCE_TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem",
            "ConceptMap", "NamingSystem", "Questionnaire", "ImplementationGuide", "SearchParameter");

    /** A resource's check: the JSON and the profiles it was checked for, and what the validator found. */
    record Checked(String json, Set<String> profiles, ValidationResult result) {}

    private final Function<IBaseResource, Checked> check;
    private final ThreadPoolExecutor helpers;

    /**
     * @param check   one resource's check ({@link ProfileEnforcingInterceptor#check}); null when it needs none
     * @param threads how many threads check one transaction's entries, the request's own included
     */
    TransactionEntryChecks(Function<IBaseResource, Checked> check, int threads) {
        this.check = check;
        AtomicInteger named = new AtomicInteger();
        this.helpers = threads <= 1 ? null : new ThreadPoolExecutor(threads - 1, threads - 1, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "guide-check-" + named.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        if (helpers != null) {
            helpers.allowCoreThreadTimeOut(true);
        }
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = ORDER)
    public void beforeTransaction(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.TRANSACTION || !(request.getResource() instanceof Bundle bundle)
                || bundle.getType() != Bundle.BundleType.TRANSACTION) {
            return;
        }
        List<IBaseResource> writes = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (!entry.hasRequest()) {
                continue;
            }
            IBaseResource resource = entry.getResource();
            if (changesConformance(resource, entry.getRequest().getUrl())) {
                return;
            }
            Bundle.HTTPVerb method = entry.getRequest().getMethod();
            if (resource != null && (method == Bundle.HTTPVerb.POST || method == Bundle.HTTPVerb.PUT)) {
                writes.add(resource);
            }
        }
        if (!writes.isEmpty()) {
            request.getUserData().put(CHECKED, checkAll(writes));
        }
    }

    /** An entry that writes, patches or deletes a conformance resource (its body, or the type its URL names). */
    private static boolean changesConformance(IBaseResource resource, String url) {
        if (resource != null && CONFORMANCE_TYPES.contains(resource.fhirType())) {
            return true;
        }
        if (url == null) {
            return false;
        }
        int end = 0;
        while (end < url.length() && Character.isLetter(url.charAt(end))) {
            end++;
        }
        return CONFORMANCE_TYPES.contains(url.substring(0, end));
    }

    /** Each resource's check, by identity; a resource whose check threw, or that needs none, is absent. */
    Map<IBaseResource, Checked> checkAll(List<IBaseResource> resources) {
        Checked[] results = new Checked[resources.size()];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(resources.size());
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < results.length; i = next.getAndIncrement()) {
                try {
                    results[i] = check.apply(resources.get(i));
                } catch (RuntimeException unexpected) {
                    results[i] = null; // checked again inside the transaction, where its error is reported
                } finally {
                    finished.countDown();
                }
            }
        };
        int wanted = helpers == null ? 0 : Math.min(helpers.getMaximumPoolSize(), resources.size() - 1);
        for (int i = 0; i < wanted; i++) {
            try {
                helpers.execute(drain);
            } catch (RejectedExecutionException busy) {
                break;
            }
        }
        drain.run();
        // Always waits for the helpers: the transaction must not start while one still reads its resources.
        boolean interrupted = false;
        while (true) {
            try {
                finished.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Map<IBaseResource, Checked> checked = new IdentityHashMap<>();
        for (int i = 0; i < results.length; i++) {
            if (results[i] != null) {
                checked.put(resources.get(i), results[i]);
            }
        }
        return checked;
    }

    /**
     * The result of checking this resource before the transaction, if it is still the resource that was checked.
     * Called from the storage hook, inside the database transaction.
     */
    static ValidationResult reusable(RequestDetails request, IBaseResource resource, Set<String> profiles,
            FhirContext fhirContext) {
        if (request == null || !(request.getUserData().get(CHECKED) instanceof Map<?, ?> checked)
                || !(checked.get(resource) instanceof Checked earlier)) {
            return null;
        }
        return earlier.profiles().equals(profiles) && earlier.json().equals(json(fhirContext, resource))
                ? earlier.result()
                : null;
    }

    static String json(FhirContext fhirContext, IBaseResource resource) {
        return fhirContext.newJsonParser().encodeResourceToString(resource);
    }

    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
