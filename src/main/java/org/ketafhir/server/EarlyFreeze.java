package org.ketafhir.server;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;

/**
 * Freezes the bean definitions as the last of the ordered bean factory post-processors, instead of after the web
 * server is made.
 *
 * <p>Spring Boot creates the servlet and filter registrations (HAPI's {@code RestfulServer}, and through it nearly every
 * HAPI bean: DAOs, providers, repositories) while it makes the web server, which is before the context freezes its
 * configuration. Until then Spring looks up beans by type without its type cache, scanning all of HAPI's ~2,000 bean
 * definitions for each autowired field: on this 2-core machine a third of the start-up's main thread (JFR). The
 * configuration classes and the registry post-processors have registered every definition by then; a post-processor
 * without an order runs later, and a definition it registers still clears the type cache, as after the regular
 * freeze (which Spring repeats before it makes the remaining beans).
 */
final class EarlyFreeze implements BeanFactoryPostProcessor, Ordered {

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        beanFactory.freezeConfiguration();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
