package org.ketafhir.outcomes;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.ketafhir.dosing.DosingSettingsConfig;
import org.ketafhir.dosing.MedicationCodes;
import org.ketafhir.dosing.ReadingWindows;
import org.ketafhir.ig.GuidePackage;
import org.ketafhir.scoring.ScoredStatuses;
import org.ketafhir.scoring.ScoringSettingsConfig;
import org.ketafhir.scoring.InstrumentCatalog;
import org.ketafhir.server.FhirServerCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Outcome summaries: the outcome index kept beside the FHIR tables, and the {@code $outcome-summary} operations that
 * read it. Off with {@code ketafhir.outcomes.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "ketafhir.outcomes", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(OutcomeProperties.class)
@Import({DosingSettingsConfig.class, ScoringSettingsConfig.class})
public class OutcomesConfig {

    @Bean
    @DependsOnDatabaseInitialization
    OutcomeIndex outcomeIndex(DataSource dataSource) {
        return new OutcomeIndex(new JdbcTemplate(dataSource));
    }

    /** The scoring capability's catalog when it runs, else the same catalog read from the guide. */
    @Bean
    OutcomeInstruments outcomeInstruments(ObjectProvider<InstrumentCatalog> catalog, GuidePackage guide) {
        return OutcomeInstruments.fromGuide(catalog.getIfAvailable(() -> InstrumentCatalog.fromGuide(guide)), guide);
    }

    @Bean
    OutcomeCodes outcomeCodes(GuidePackage guide, OutcomeProperties properties) {
        return OutcomeCodes.fromGuide(guide, properties.suicidalIdeationItem());
    }

    /** On HAPI's JPA interceptor service, so it fires once per stored resource, inside its transaction. */
    @Bean
    OutcomeIndexInterceptor outcomeIndexInterceptor(OutcomeIndex index, OutcomeInstruments instruments,
            OutcomeCodes codes, ScoredStatuses scoredStatuses, GuidePackage guide,
            IInterceptorService jpaInterceptors) {
        OutcomeIndexInterceptor interceptor = new OutcomeIndexInterceptor(index,
                new OutcomeFactExtractor(instruments, MedicationCodes.fromGuide(guide), codes,
                        scoredStatuses));
        jpaInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    OutcomeIndexBuilder outcomeIndexBuilder(OutcomeIndex index, OutcomeIndexInterceptor writer, DaoRegistry daos,
            PlatformTransactionManager transactionManager) {
        return new OutcomeIndexBuilder(index, writer, daos, new TransactionTemplate(transactionManager));
    }

    @Bean
    OutcomeSummaries outcomeSummaries(OutcomeIndex index, OutcomeInstruments instruments, OutcomeCodes codes,
            OutcomeProperties properties, ReadingWindows readingWindows, GuidePackage guide, DaoRegistry daos) {
        return new OutcomeSummaries(index, instruments,
                properties.rules(readingWindows, CohortMonths.fromGuide(guide)), codes, daos, Clock.systemUTC());
    }

    @Bean
    FhirServerCustomizer outcomeOperations(OutcomeSummaries summaries) {
        OutcomeSummaryProvider provider = new OutcomeSummaryProvider(summaries);
        return server -> server.registerProvider(provider);
    }
}
