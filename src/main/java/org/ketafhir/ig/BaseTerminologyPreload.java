package org.ketafhir.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Reads the R4 base value sets and code systems (HAPI's {@code valuesets.xml}, {@code v2-tables.xml},
 * {@code v3-codesystems.xml}) on a thread of its own as soon as the FHIR context exists, instead of at the first
 * validation of a coded element. HAPI parses the three bundles together at that first look-up and keeps them for the
 * life of the JVM (shared by every {@link DefaultProfileValidationSupport} of the FHIR version, loaded under its
 * lock): about 2 s of the validator warm-up on this 2-core machine (JFR), which on an existing database is the last
 * thing the start-up waits for. Read meanwhile, it uses the second core while the main thread makes the Spring
 * context, which leaves that core mostly idle. A failure only leaves the loading to the first validation.
 */
final class BaseTerminologyPreload implements BeanPostProcessor {

    /** Any base value set: the first look-up of one reads them all. */
    static final String BASE_VALUE_SET = "http://hl7.org/fhir/ValueSet/observation-status";

    private static final Logger log = LoggerFactory.getLogger(BaseTerminologyPreload.class);

    private boolean started;

    @Override
    public synchronized Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!started && bean instanceof FhirContext context && context.getVersion().getVersion() == FhirVersionEnum.R4) {
            started = true;
            Thread thread = new Thread(() -> preload(context), "r4-terminology-preload");
            thread.setDaemon(true);
            thread.start();
        }
        return bean;
    }

    private static void preload(FhirContext context) {
        long started = System.nanoTime();
        try {
            new DefaultProfileValidationSupport(context).fetchValueSet(BASE_VALUE_SET);
            log.debug("R4 base value sets and code systems read in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.debug("Reading the R4 base value sets ahead failed; the first validation reads them", e);
        }
    }
}
