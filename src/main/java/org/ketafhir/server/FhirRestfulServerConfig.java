package org.ketafhir.server;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.batch2.jobs.imprt.BulkDataImportProvider;
import ca.uhn.fhir.batch2.jobs.imprt.BulkImportFileServlet;
import ca.uhn.fhir.batch2.jobs.bulkmodify.reindex.ReindexProvider;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.DiffProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.provider.SubscriptionTriggeringProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The FHIR REST endpoint at {@code /fhir}: HAPI's {@link RestfulServer} with the JPA resource providers, the
 * system provider (transactions, history, {@code $meta}), bulk export, terminology operations and the
 * interceptors that shape errors. Other capabilities contribute providers and interceptors as
 * {@link FhirServerCustomizer} beans, so this class does not need to know them.
 */
@Configuration(proxyBeanMethods = false)
public class FhirRestfulServerConfig {

    static final String FHIR_PATH = "/fhir";

    @Bean
    public RestfulServer fhirServer(
            IFhirSystemDao<?, ?> systemDao,
            ResourceProviderFactory resourceProviderFactory,
            JpaSystemProvider<?, ?> systemProvider,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            ValueSetOperationProvider valueSetOperationProvider,
            SubscriptionTriggeringProvider subscriptionTriggeringProvider,
            ReindexProvider reindexProvider,
            DiffProvider diffProvider,
            BulkDataExportProvider bulkDataExportProvider,
            BulkDataImportProvider bulkDataImportProvider,
            BulkImportSources bulkImportSources,
            IJobCoordinator jobCoordinator,
            FhirServerProperties properties,
            ObjectProvider<FhirServerCustomizer> customizers) {
        RestfulServer server = new RestfulServer(systemDao.getContext());
        server.setServerName("KetaFHIR");
        server.setImplementationDescription("KetaFHIR ketamine-therapy FHIR R4 server");
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPrettyPrint(false);
        // Narratives are supplied by clients or by the document operations, never generated on every write.
        systemDao.getContext().setNarrativeGenerator(new NullNarrativeGenerator());
        // Unknown elements and wrongly shaped values are refused (400) instead of silently dropped.
        systemDao.getContext().setParserErrorHandler(new StrictErrorHandler());

        server.registerProviders(resourceProviderFactory.createProviders());
        server.registerProvider(systemProvider);
        server.registerProviders(List.of(
                valueSetOperationProvider, subscriptionTriggeringProvider, reindexProvider, diffProvider));
        if (properties.bulkExport()) {
            server.registerProvider(bulkDataExportProvider);
        }
        if (properties.bulkImport()) {
            server.registerProvider(bulkDataImportProvider);
            server.registerInterceptor(bulkImportSources);
            server.registerInterceptor(new BulkImportStatusInterceptor(jobCoordinator, systemDao.getContext()));
        }

        JpaCapabilityStatementProvider capabilityStatement = new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        capabilityStatement.setImplementationDescription("KetaFHIR ketamine-therapy FHIR R4 server");
        server.setServerConformanceProvider(capabilityStatement);

        pagingProvider.setDefaultPageSize(properties.defaultPageSize());
        pagingProvider.setMaximumPageSize(properties.maxPageSize());
        server.setPagingProvider(pagingProvider);

        String baseUrl = properties.baseUrl().trim();
        server.setServerAddressStrategy(baseUrl.isEmpty()
                ? new IncomingRequestAddressStrategy()
                : new HardcodedServerAddressStrategy(baseUrl));

        server.registerInterceptor(new ErrorResponseInterceptor());
        server.registerInterceptor(new CapabilityStatementInterceptor());
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        if (properties.openApi()) {
            server.registerInterceptor(new OpenApiInterceptor());
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(server));
        return server;
    }

    /**
     * HAPI's file servlet for {@code $import} of {@code file:} URLs: it serves only the files that
     * {@link BulkImportSources} registered, each under a random name, and only to the loopback (the import step).
     */
    @Bean
    BulkImportFileServlet bulkImportFiles() {
        return new BulkImportFileServlet();
    }

    @Bean
    BulkImportSources bulkImportSources(BulkImportFileServlet files, FhirServerProperties properties) {
        return new BulkImportSources(files, properties.bulkImportFolders());
    }

    @Bean
    ServletRegistrationBean<BulkImportFileServlet> bulkImportFilesServlet(BulkImportFileServlet files,
            FhirServerProperties properties) {
        ServletRegistrationBean<BulkImportFileServlet> registration =
                new ServletRegistrationBean<>(files, BulkImportSources.FILES_PATH + "/*");
        registration.setName("bulk-import-files");
        registration.setEnabled(properties.bulkImport() && !properties.bulkImportFolders().isEmpty());
        return registration;
    }

    @Bean
    FilterRegistrationBean<LoopbackOnlyFilter> bulkImportFilesLoopbackOnly() {
        FilterRegistrationBean<LoopbackOnlyFilter> registration = new FilterRegistrationBean<>(new LoopbackOnlyFilter());
        registration.addUrlPatterns(BulkImportSources.FILES_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** Before every other filter (security included): a request that arrives too early learns so at once. */
    @Bean
    FilterRegistrationBean<StartupGate> startupGate(ApplicationAvailability availability) {
        FilterRegistrationBean<StartupGate> registration = new FilterRegistrationBean<>(new StartupGate(availability));
        registration.addUrlPatterns(FHIR_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<MalformedQueryFilter> malformedQueryFilter() {
        FilterRegistrationBean<MalformedQueryFilter> registration = new FilterRegistrationBean<>(new MalformedQueryFilter());
        registration.addUrlPatterns(FHIR_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirServer) {
        ServletRegistrationBean<RestfulServer> registration =
                new ServletRegistrationBean<>(fhirServer, FHIR_PATH + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
