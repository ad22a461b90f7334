package org.ketafhir.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Reads the R4 base definitions on a thread of its own as soon as the FHIR context exists: first the base
 * StructureDefinitions, which the main thread otherwise reads while it makes HAPI's beans (1.3 s of it), then the
 * value sets and code systems ({@code valuesets.xml}, {@code v2-tables.xml}, {@code v3-codesystems.xml}), which the
 * validator warm-up otherwise reads at its first coded element (about 2 s of it on this 2-core machine, JFR). HAPI
 * keeps both for the life of the JVM, shared by every {@link DefaultProfileValidationSupport} of the FHIR version.
 * Read meanwhile, they use the second core while the main thread makes the Spring context, which leaves that core
 * mostly idle. The value sets load under HAPI's lock, so a validation that needs them waits for this read rather than
 * doing it again; the structure definitions are read first because the main thread needs them about 3 s after the
 * context exists. A failure only leaves the reading to the first that needs them.
 */
final class BaseDefinitionsPreload implements BeanPostProcessor {

    /** Any base value set: the first look-up of one reads them all. */
    static final String BASE_VALUE_SET = "http://hl7.org/fhir/ValueSet/observation-status";

    private static final Logger log = LoggerFactory.getLogger(BaseDefinitionsPreload.class);

    private boolean started;

    @Override
    public synchronized Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!started && bean instanceof FhirContext context && context.getVersion().getVersion() == FhirVersionEnum.R4) {
            started = true;
            Thread thread = new Thread(() -> preload(context), "r4-definitions-preload");
            thread.setDaemon(true);
            thread.start();
        }
        return bean;
    }

    private static void preload(FhirContext context) {
        long started = System.nanoTime();
        try {
            DefaultProfileValidationSupport base = new DefaultProfileValidationSupport(context);
            base.fetchAllStructureDefinitions();
            base.fetchValueSet(BASE_VALUE_SET);
            log.debug("R4 base definitions read in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.debug("Reading the R4 base definitions ahead failed; the first that needs them reads them", e);
        }
    }
}
