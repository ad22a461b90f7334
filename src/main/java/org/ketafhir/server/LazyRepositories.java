package org.ketafhir.server;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.ConstructorArgumentValues.ValueHolder;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.ContextAnnotationAutowireCandidateResolver;
import org.springframework.core.Ordered;
import org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport;
import org.springframework.util.ClassUtils;

/**
 * Spring Data's lazy repository bootstrap for HAPI's JPA repositories: each repository is made on its first use
 * instead of at start-up, and the beans that use one are given a proxy that makes it then.
 *
 * <p>HAPI declares its 56 repositories with {@code @EnableJpaRepositories} in its own configuration, in Spring Data's
 * default (eager) mode, and there is no setting to change it. Making a repository parses every query it declares
 * (Hibernate's HQL parser, cold at start-up): a fifth of the start-up's main thread on this 2-core machine (JFR), for
 * repositories most of which only batch jobs, bulk export or terminology loading ever use. This does what
 * {@code @EnableJpaRepositories(bootstrapMode = LAZY)} does: the repository definitions become lazy, and injection
 * points of a repository type resolve to a lazy-resolution proxy ({@link ContextAnnotationAutowireCandidateResolver}).
 * A repository's queries are still checked, on its first use.
 *
 * <p>Each lazy definition also names the type its factory bean makes ({@link FactoryBean#OBJECT_TYPE_ATTRIBUTE}).
 * Without it, every lookup by type ({@code getBeansOfType}, an autowired collection, Spring Boot's search for
 * {@code ApplicationRunner}s) asks each repository factory not yet made for its type under the bean factory's
 * singleton lock, and waits while another thread makes a repository: on a new database the start-up's main thread
 * waited 3.8 s so for the validator warm-up (JFR).
 */
final class LazyRepositories implements BeanFactoryPostProcessor, Ordered {

    private static final Logger log = LoggerFactory.getLogger(LazyRepositories.class);

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (!(beanFactory instanceof DefaultListableBeanFactory factory)
                || factory.getAutowireCandidateResolver().getClass() != ContextAnnotationAutowireCandidateResolver.class) {
            log.warn("Repositories stay eager: the bean factory's autowiring is not Spring's annotation-driven default");
            return;
        }
        Set<String> repositories = new HashSet<>();
        for (String name : factory.getBeanDefinitionNames()) {
            BeanDefinition definition = factory.getBeanDefinition(name);
            String repository = repositoryInterface(definition, factory.getBeanClassLoader());
            if (repository != null) {
                definition.setLazyInit(true);
                if (definition.getAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE) == null) {
                    definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE,
                            ClassUtils.resolveClassName(repository, factory.getBeanClassLoader()));
                }
                repositories.add(repository);
            }
        }
        factory.setAutowireCandidateResolver(new ContextAnnotationAutowireCandidateResolver() {
            @Override
            protected boolean isLazy(DependencyDescriptor descriptor) {
                return repositories.contains(descriptor.getDependencyType().getName()) || super.isLazy(descriptor);
            }
        });
        log.debug("{} repositories are made on first use", repositories.size());
    }

    /** The repository interface a Spring Data repository factory bean definition makes, or null for other beans. */
    private static String repositoryInterface(BeanDefinition definition, ClassLoader classLoader) {
        // Spring Data names the interface as the first constructor argument: a cheap test before any class is loaded
        ValueHolder argument = definition.getConstructorArgumentValues().getIndexedArgumentValue(0, null);
        String className = definition.getBeanClassName();
        if (argument == null || !(argument.getValue() instanceof String repository) || className == null
                || !ClassUtils.isPresent(className, classLoader)
                || !RepositoryFactoryBeanSupport.class.isAssignableFrom(ClassUtils.resolveClassName(className, classLoader))) {
            return null;
        }
        return repository;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }
}
