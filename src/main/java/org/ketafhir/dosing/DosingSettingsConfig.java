package org.ketafhir.dosing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dosing settings, bound and validated whether or not the dosing rules run: the outcome summaries read the
 * sessions' reading windows from them ({@link ReadingWindows}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DosingProperties.class)
public class DosingSettingsConfig {

    @Bean
    ReadingWindows readingWindows(DosingProperties properties) {
        return ReadingWindows.of(properties);
    }
}
