package org.ketafhir.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.jpa.validation.ValidatorPolicyAdvisor;
import ca.uhn.fhir.jpa.validation.ValidatorResourceFetcher;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.validation.FhirValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImplementationGuide;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.ketafhir.server.FhirServerCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * The KetaFHIR implementation guide in the server: installed at start-up from the application's own classpath,
 * and enforced on every write of a record that declares, or clearly is, one of its profiles.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IgProperties.class)
public class IgConfig {

    /** The guide the server installs and acts on: read once, at start-up, from {@code ketafhir.ig.package-resource}. */
    @Bean
    public GuidePackage guidePackage(FhirContext fhirContext, ResourceLoader resources, IgProperties properties) {
        return GuidePackage.read(fhirContext, resources.getResource(properties.packageResource()));
    }

    /** The R4 base definitions are read beside the context's start: see {@link BaseDefinitionsPreload}. */
    @Bean
    static BeanPostProcessor baseDefinitionsPreload() {
        return new BaseDefinitionsPreload();
    }

    @Bean
    GuideInstaller guideInstaller(IFhirSystemDao<Bundle, Meta> systemDao, DaoRegistry daoRegistry,
            GuidePackage guidePackage, JpaStorageSettings storageSettings, IResourceTableDao storedResources,
            ITermDeferredStorageSvc deferredTerminology, ISearchParamRegistry searchParameters,
            GuideValidatorModule guideValidatorModule, ObjectProvider<ValidatorWarmUp> warmUp) {
        return new GuideInstaller(systemDao, daoRegistry.getResourceDao(ImplementationGuide.class), guidePackage,
                storageSettings, storedResources, deferredTerminology, searchParameters, guideValidatorModule,
                warmUp);
    }

    @Bean
    GuideProfiles guideProfiles(IValidationSupport validationSupport, DaoRegistry daoRegistry) {
        return new GuideProfiles(validationSupport, daoRegistry);
    }

    /**
     * HAPI's instance validator, set up as HAPI's JPA server sets up its own (the JPA validation support chain with
     * stored profiles and cached snapshots, the JPA resource fetcher and policy advisor, best-practice warnings), but
     * keeping its core validators between validations: see {@link PooledInstanceValidator}. Not a bean of its own:
     * HAPI looks its instance validator module up by type, and its own module still serves {@code $validate}.
     */
    @Bean
    GuideValidatorModule guideValidatorModule(FhirContext fhirContext, IValidationSupport validationSupport,
            WorkerContextValidationSupportAdapter workerContext, ValidatorResourceFetcher resourceFetcher,
            ValidatorPolicyAdvisor policyAdvisor, IInterceptorService interceptors) {
        PooledInstanceValidator module = new PooledInstanceValidator(fhirContext);
        module.setWrappedWorkerContext(validationSupport, workerContext);
        module.setValidatorResourceFetcher(resourceFetcher);
        module.setValidatorPolicyAdvisor(policyAdvisor);
        module.setBestPracticeWarningLevel(BestPracticeWarningLevel.Warning);
        // Its kept validators are forgotten when a StructureDefinition is written.
        interceptors.registerInterceptor(module);
        return new GuideValidatorModule(module);
    }

    @Bean
    FhirValidator guideValidator(FhirContext fhirContext, GuideValidatorModule guideValidatorModule) {
        FhirValidator validator = fhirContext.newValidator();
        validator.setValidateAgainstStandardSchema(false);
        validator.setValidateAgainstStandardSchematron(false);
        validator.registerValidatorModule(guideValidatorModule.module());
        return validator;
    }

    /** The first write does not pay for the validator's cold caches: see {@link ValidatorWarmUp}. */
    @Bean
    @ConditionalOnProperty(prefix = "ketafhir.ig", name = "enforce", havingValue = "true", matchIfMissing = true)
    ValidatorWarmUp validatorWarmUp(FhirContext fhirContext, FhirValidator guideValidator, ResourceLoader resources) {
        return new ValidatorWarmUp(fhirContext, guideValidator, resources);
    }

    @Bean
    @ConditionalOnProperty(prefix = "ketafhir.ig", name = "enforce", havingValue = "true", matchIfMissing = true)
    ProfileEnforcingInterceptor profileEnforcingInterceptor(FhirContext fhirContext, FhirValidator guideValidator,
            GuideProfiles guideProfiles, IInterceptorService interceptors) {
        ProfileEnforcingInterceptor interceptor =
                new ProfileEnforcingInterceptor(fhirContext, guideValidator, guideProfiles);
        // Registered with HAPI's storage-level interceptor service: it then also sees transaction entries and
        // writes made by the server's own capabilities, not only REST requests.
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    /** A transaction's entries checked before its database transaction: see {@link TransactionEntryChecks}. */
    @Bean
    @ConditionalOnProperty(prefix = "ketafhir.ig", name = {"enforce", "check-before-transaction"},
            havingValue = "true", matchIfMissing = true)
    TransactionEntryChecks transactionEntryChecks(ProfileEnforcingInterceptor enforcement, IgProperties properties) {
        return new TransactionEntryChecks(enforcement::check, properties.checkThreads());
    }

    @Bean
    @ConditionalOnProperty(prefix = "ketafhir.ig", name = {"enforce", "check-before-transaction"},
            havingValue = "true", matchIfMissing = true)
    FhirServerCustomizer transactionEntryChecksEndpoint(TransactionEntryChecks checks) {
        return server -> server.registerInterceptor(checks);
    }
}
