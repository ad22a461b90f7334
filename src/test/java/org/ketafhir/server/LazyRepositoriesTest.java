package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ContextAnnotationAutowireCandidateResolver;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport;
import org.springframework.data.repository.core.support.RepositoryFactorySupport;

class LazyRepositoriesTest {

    interface ClinicRepository extends Repository<Object, Long> {}

    /** Stands in for Spring Data's JPA factory bean: making it would fail, so a test that makes it fails. */
    static class ClinicRepositoryFactory extends RepositoryFactoryBeanSupport<ClinicRepository, Object, Long> {
        static int made;

        ClinicRepositoryFactory(Class<? extends ClinicRepository> repositoryInterface) {
            super(repositoryInterface);
            made++;
        }

        @Override
        protected RepositoryFactorySupport createRepositoryFactory() {
            throw new IllegalStateException("the repository was made at start-up");
        }
    }

    record Service(ClinicRepository repository, StringBuilder other) {}

    @Test
    void shouldMakeARepositoryOnFirstUseAndGiveItsUsersAProxy() {
        DefaultListableBeanFactory beanFactory = beanFactory();

        new LazyRepositories().postProcessBeanFactory(beanFactory);
        beanFactory.preInstantiateSingletons();

        assertThat(beanFactory.getBeanDefinition("clinicRepository").isLazyInit()).isTrue();
        Service service = beanFactory.getBean(Service.class);
        assertThat(AopUtils.isAopProxy(service.repository())).as("the repository a bean is given").isTrue();
        assertThat(beanFactory.containsSingleton("clinicRepository")).as("the repository made").isFalse();
        assertThat(AopUtils.isAopProxy(service.other())).as("a bean that is no repository").isFalse();
    }

    @Test
    void shouldAnswerALookupByTypeWithoutMakingTheRepositoryFactory() {
        ClinicRepositoryFactory.made = 0;
        DefaultListableBeanFactory beanFactory = beanFactory();
        new LazyRepositories().postProcessBeanFactory(beanFactory);
        beanFactory.preInstantiateSingletons();

        assertThat(beanFactory.getBeanNamesForType(ClinicRepository.class)).containsExactly("clinicRepository");
        assertThat(beanFactory.getBeanNamesForType(Runnable.class)).isEmpty();
        assertThat(beanFactory.getType("clinicRepository")).isEqualTo(ClinicRepository.class);
        assertThat(beanFactory.containsSingleton("clinicRepository")).isFalse();
        assertThat(ClinicRepositoryFactory.made).as("repository factories made for a type check").isZero();
    }

    @Test
    void shouldLeaveTheRepositoriesEagerWithoutThePostProcessor() {
        DefaultListableBeanFactory beanFactory = beanFactory();

        assertThat(catchThrowable(beanFactory::preInstantiateSingletons))
                .as("the eager start makes the repository").hasRootCauseMessage("the repository was made at start-up");
    }

    private static DefaultListableBeanFactory beanFactory() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.setAutowireCandidateResolver(new ContextAnnotationAutowireCandidateResolver());
        RootBeanDefinition repository = new RootBeanDefinition();
        repository.setBeanClassName(ClinicRepositoryFactory.class.getName());
        repository.getConstructorArgumentValues().addIndexedArgumentValue(0, ClinicRepository.class.getName());
        beanFactory.registerBeanDefinition("clinicRepository", repository);
        beanFactory.registerBeanDefinition("other", new RootBeanDefinition(StringBuilder.class));
        RootBeanDefinition service = new RootBeanDefinition(Service.class);
        service.setAutowireMode(RootBeanDefinition.AUTOWIRE_CONSTRUCTOR);
        beanFactory.registerBeanDefinition("service", service);
        return beanFactory;
    }
}
