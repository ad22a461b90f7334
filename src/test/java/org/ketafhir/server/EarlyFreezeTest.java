package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

class EarlyFreezeTest {

    @Test
    void shouldFreezeTheBeanDefinitionsSoLookupsByTypeAreCached() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("first", new RootBeanDefinition(StringBuilder.class));

        new EarlyFreeze().postProcessBeanFactory(beanFactory);

        assertThat(beanFactory.isConfigurationFrozen()).isTrue();
        assertThat(beanFactory.getBeanNamesForType(StringBuilder.class)).containsExactly("first");
    }

    @Test
    void shouldStillFindADefinitionRegisteredAfterTheFreeze() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("first", new RootBeanDefinition(StringBuilder.class));
        new EarlyFreeze().postProcessBeanFactory(beanFactory);
        assertThat(beanFactory.getBeanNamesForType(StringBuilder.class)).containsExactly("first");

        beanFactory.registerBeanDefinition("second", new RootBeanDefinition(StringBuilder.class));

        assertThat(beanFactory.getBeanNamesForType(StringBuilder.class)).containsExactly("first", "second");
    }
}
