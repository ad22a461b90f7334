package org.ketafhir.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ketafhir.server.StartupOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.io.ResourceLoader;

/**
 * Validates a few of the guide's own examples once, on a thread of its own, while the rest of the server starts: the
 * validator's cold caches (base definitions, snapshots, FHIRPath) cost the first client write about 3 seconds. The
 * warm-up starts when every bean exists and the start-up waits for it before it reports ready, so the work runs on
 * the second core beside Tomcat's start and the guide's installation instead of after them: the wait is the last of
 * the start-up work ({@link StartupOrder}). It stores nothing, and a failure only costs the first write its time.
 */
final class ValidatorWarmUp implements SmartInitializingSingleton, ApplicationRunner, Ordered {

    static final List<String> EXAMPLES = List.of(
            "classpath:fhir-profiles/examples/QuestionnaireResponse-ketafhir-example-phq9-baseline.json",
            "classpath:fhir-profiles/examples/MedicationAdministration-ketafhir-example-session-1.json",
            "classpath:fhir-profiles/examples/Observation-ketafhir-example-bp-pre-session-1.json");
    private static final long WAIT_SECONDS = 120;
    private static final Logger log = LoggerFactory.getLogger(ValidatorWarmUp.class);

    private final FhirContext fhirContext;
    private final FhirValidator validator;
    private final ResourceLoader resources;
    private volatile CompletableFuture<Void> warmUp = CompletableFuture.completedFuture(null);

    ValidatorWarmUp(FhirContext fhirContext, FhirValidator validator, ResourceLoader resources) {
        this.fhirContext = fhirContext;
        this.validator = validator;
        this.resources = resources;
    }

    @Override
    public void afterSingletonsInstantiated() {
        warmUp = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                warm();
            } finally {
                warmUp.complete(null);
            }
        }, "validator-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run(ApplicationArguments args) {
        awaitEnd();
    }

    /** Waits (up to two minutes) until the warm-up has ended. */
    void awaitEnd() {
        try {
            warmUp.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Validator warm-up did not finish ({}); the first writes will be slower", e.getClass().getSimpleName());
        }
    }

    /** The wait comes after the other start-up work, which runs meanwhile. */
    @Override
    public int getOrder() {
        return StartupOrder.WARM_UP_WAIT;
    }

    private void warm() {
        long started = System.nanoTime();
        for (String example : EXAMPLES) {
            try (InputStream in = resources.getResource(example).getInputStream()) {
                validator.validateWithResult(fhirContext.newJsonParser()
                        .parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                log.debug("Warm-up validation of {} failed", example, e);
            }
        }
        log.info("Validator warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
}
