package org.ketafhir.scoring;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scoring settings, bound and validated whether or not scoring runs: the outcome summaries read the scored
 * statuses from them ({@link ScoredStatuses}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScoringProperties.class)
public class ScoringSettingsConfig {

    @Bean
    ScoredStatuses scoredStatuses(ScoringProperties properties) {
        return properties.statuses();
    }
}
