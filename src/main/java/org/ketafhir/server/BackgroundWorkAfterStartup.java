package org.ketafhir.server;

import ca.uhn.fhir.jpa.sched.HapiSchedulerServiceImpl;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;
import org.springframework.core.PriorityOrdered;

/**
 * Keeps HAPI's background work off the start-up's two cores until the server is ready.
 *
 * <p>HAPI starts its scheduled jobs (some twenty: resource counts, stale-search and search-URL cleanup, Batch2
 * maintenance, deferred terminology storage, bulk import activation, ...) when the context is refreshed, each due at
 * once, and each first run makes the repositories it uses (parsing their queries) under the bean factory's singleton
 * lock. On this 2-core machine that took 1-3 s of CPU while the guide was being installed, and the start-up's main
 * thread and the validator warm-up waited for the lock. HAPI's scheduler service is therefore replaced by one
 * ({@link SchedulerStartedWhenReady}) that starts the jobs when the application first reports
 * {@link ReadinessState#ACCEPTING_TRAFFIC} instead. Nothing they do is needed before then: the guide's installation
 * stores its deferred terminology itself, and Batch2 jobs only have work once clients have asked for it.
 *
 * <p>HAPI also records, for every active search parameter, the hash its index rows carry
 * ({@code HFJ_SPIDX_IDENTITY}, a lookup for people reading the index tables), one transaction per parameter on a
 * thread of its own, each time its search-parameter registry is rebuilt: about 1,300 commits, 3 s of CPU, on the first
 * start of a new database. That pre-population is off ({@link #searchParameterIdentitiesOnUse()}); HAPI still writes
 * the identity of every hash when it first stores an index row or searches with it, so every hash found in the index
 * tables can still be looked up there.
 */
final class BackgroundWorkAfterStartup {

    /** HAPI's own bean and its job group ({@code JpaConfig.schedulerService()}). */
    static final String SCHEDULER_BEAN = "schedulerService";
    static final String SCHEDULER_GROUP = "HAPI";

    private BackgroundWorkAfterStartup() {}

    /** Puts {@link SchedulerStartedWhenReady} in the place of HAPI's scheduler service. */
    static BeanDefinitionRegistryPostProcessor schedulerStartedWhenReady() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                if (registry.containsBeanDefinition(SCHEDULER_BEAN)) {
                    BeanDefinition hapis = registry.getBeanDefinition(SCHEDULER_BEAN);
                    RootBeanDefinition replacement = new RootBeanDefinition(SchedulerStartedWhenReady.class);
                    replacement.setPrimary(hapis.isPrimary());
                    registry.removeBeanDefinition(SCHEDULER_BEAN);
                    registry.registerBeanDefinition(SCHEDULER_BEAN, replacement);
                }
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {}
        };
    }

    /** Turns off HAPI's pre-population of the search-parameter identity table, before the registry first builds. */
    static BeanPostProcessor searchParameterIdentitiesOnUse() {
        return new IdentitiesOnUse();
    }

    /**
     * HAPI's scheduler service, whose jobs start when the server is first ready rather than when the context is
     * refreshed. Its schedulers are made as HAPI makes them ({@code @PostConstruct}); jobs scheduled before then wait.
     */
    static class SchedulerStartedWhenReady extends HapiSchedulerServiceImpl {

        private static final Logger log = LoggerFactory.getLogger(SchedulerStartedWhenReady.class);

        private boolean started;

        SchedulerStartedWhenReady() {
            setDefaultGroup(SCHEDULER_GROUP);
        }

        /** HAPI's start on the context refresh: deferred to {@link #startWhenReady}. */
        @Override
        public void start() {
            log.debug("HAPI's scheduled jobs start when the server is ready");
        }

        @EventListener
        public synchronized void startWhenReady(AvailabilityChangeEvent<ReadinessState> event) {
            if (!started && event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
                started = true;
                super.start();
            }
        }
    }

    /** Runs before the {@code @PostConstruct} methods ({@link PriorityOrdered}, first). */
    private static final class IdentitiesOnUse implements BeanPostProcessor, PriorityOrdered {

        @Override
        public Object postProcessBeforeInitialization(Object bean, String beanName) {
            if (bean instanceof SearchParamRegistryImpl registry) {
                registry.setPopulateSearchParamIdentities(false);
            }
            return bean;
        }

        @Override
        public int getOrder() {
            return HIGHEST_PRECEDENCE;
        }
    }
}
