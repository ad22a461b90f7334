package org.ketafhir.server;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.cfg.AvailableSettings;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * HAPI's JPA storage for R4: DAOs, search, terminology, Batch2 (bulk export) and the entity manager on the
 * Spring Boot {@link DataSource} (H2 files by default, PostgreSQL with the {@code postgres} profile).
 * Hibernate settings (dialect, batching) come from {@code spring.jpa.properties} in {@code config/application.yaml};
 * the schema is migrated before Hibernate starts ({@link SchemaMigration}). On H2, HAPI's lookup of a transaction's
 * resource ids is rewritten so that H2 uses its index ({@link H2ResourceIdLookups}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FhirServerProperties.class)
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    ThreadPoolFactoryConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class
})
public class JpaStorageConfig {

    private static final long JOB_MAINTENANCE_INTERVAL_MILLIS = 5_000;

    @Bean
    public JpaStorageSettings storageSettings(FhirServerProperties properties) {
        JpaStorageSettings settings = new JpaStorageSettings();
        // Referential integrity: a reference must point at a stored resource, and a referenced resource
        // cannot be deleted. Both are HAPI defaults; stated here because clinics rely on them.
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setEnforceReferentialIntegrityOnDelete(true);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setAllowInlineMatchUrlReferences(true);
        settings.setAllowMultipleDelete(true);
        settings.setDeleteExpungeEnabled(properties.deleteExpunge());
        settings.setExpungeEnabled(properties.deleteExpunge());
        // Conditional creates and updates resolve their match URL once per identifier, not per request.
        settings.setMatchUrlCacheEnabled(true);
        // Searches for ":missing" need explicit indexes of absent fields.
        settings.setIndexMissingFields(properties.indexMissingFields()
                ? StorageSettings.IndexEnabledEnum.ENABLED
                : StorageSettings.IndexEnabledEnum.DISABLED);
        settings.setFetchSizeDefaultMaximum(properties.maxPageSize());
        // Write-path settings from HAPI's own bulk-load tests, each measured in benchmark/README.md: small bodies
        // inline in the version row (one insert instead of a row and a large object), index rows without the
        // columns their hashes already carry, and the :text index of codes kept unless an operator gives it up.
        settings.setInlineResourceTextBelowSize(properties.inlineResourceTextBelow());
        settings.setIndexStorageOptimized(properties.indexStorageOptimized());
        settings.setSuppressStringIndexingInTokens(!properties.tokenTextIndexed());
        settings.setMaximumIncludesToLoadPerPage(properties.maxIncludes());
        // Tags, profiles and security labels are kept in the resource body and searched as ordinary indexes
        // (_tag, _profile, _security). HAPI's default keeps them as shared tag-definition rows, and reading tagged
        // resources in one transaction while others write them failed at commit under concurrent ingest
        // ("Illegal attempt to associate a collection with two open sessions: TagDefinition").
        settings.setTagStorageMode(JpaStorageSettings.TagStorageModeEnum.INLINE);
        // Read-your-writes: HAPI answers a search repeated within 60 s from its stored result by default, so a
        // clinician's list reloaded right after a write missed it. Every search runs anew; paging still reads the
        // stored result of the search that made the page.
        settings.setReuseCachedSearchResultsForMillis(null);
        // The guide's value sets are small and expanded in memory by the validator. HAPI's background job that
        // pre-expands them into terminology tables needs Hibernate Search (off here), failed on every value set,
        // and invalidated the validation caches while client writes were being validated: a valid PHQ-9 posted
        // during that pass was refused as an "unrecognized resource name 'QuestionnaireResponse'".
        settings.setPreExpandValueSets(false);
        return settings;
    }

    /**
     * HAPI advances Batch2 jobs (bulk export) in a maintenance pass that runs once a minute by default, so a small
     * export took minutes. Every 5 seconds costs one indexed query and makes an export answer in seconds.
     */
    @Bean
    static BeanPostProcessor promptJobMaintenance() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof JobMaintenanceServiceImpl maintenance) {
                    maintenance.setScheduledJobFrequencyMillis(JOB_MAINTENANCE_INTERVAL_MILLIS);
                }
                return bean;
            }
        };
    }

    /** HAPI's scheduled jobs and its search-parameter identity pass stay off the start-up's cores. */
    @Bean
    static BeanDefinitionRegistryPostProcessor schedulerStartedWhenReady() {
        return BackgroundWorkAfterStartup.schedulerStartedWhenReady();
    }

    @Bean
    static BeanPostProcessor searchParameterIdentitiesOnUse() {
        return BackgroundWorkAfterStartup.searchParameterIdentitiesOnUse();
    }

    /** An acknowledged write survives kill -9 on any H2 file URL, not only on the default one. */
    @Bean
    static BeanPostProcessor h2Durability() {
        return new H2Durability();
    }

    /** Decimals the database cannot hold are refused with 400 before they reach it. */
    @Bean
    StorableValuesInterceptor storableValuesInterceptor(FhirContext fhirContext, IInterceptorService jpaInterceptors) {
        StorableValuesInterceptor interceptor = new StorableValuesInterceptor(fhirContext);
        jpaInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    @Primary
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            JpaProperties jpaProperties,
            DataSource dataSource) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        Map<String, Object> properties = new HashMap<>(jpaProperties.getProperties());
        if (dataSource instanceof HikariDataSource pool && pool.getJdbcUrl() != null
                && pool.getJdbcUrl().toLowerCase(Locale.ROOT).startsWith("jdbc:h2:")) {
            properties.put(AvailableSettings.STATEMENT_INSPECTOR, new H2ResourceIdLookups());
        }
        factory.setJpaPropertyMap(properties);
        return factory;
    }

    @Bean
    @Primary
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    /** Bulk export writes its NDJSON files as Binary content in the database, so every node can serve them. */
    @Bean
    public DatabaseBinaryContentStorageSvcImpl binaryStorageSvc() {
        return new DatabaseBinaryContentStorageSvcImpl();
    }
}
