package org.ketafhir.server;

import jakarta.validation.constraints.AssertTrue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the FHIR REST server and its JPA storage, bound from {@code ketafhir.server.*}.
 *
 * @param baseUrl           the public base URL written into links and Location headers; blank means
 *                          "derive it from the incoming request"
 * @param defaultPageSize   search page size when the client sends no {@code _count}
 * @param maxPageSize       the largest page a client may ask for with {@code _count}
 * @param bulkExport        whether Bulk Data {@code $export} is offered
 * @param bulkImport        whether Bulk Data {@code $import} is offered (NDJSON fetched from http(s) URLs, and from
 *                          {@code file:} URLs inside {@code bulkImportFolders})
 * @param bulkImportFolders the local folders whose files {@code $import} may read through {@code file:} URLs; empty
 *                          (the default): no {@code file:} URL is accepted
 * @param openApi           whether the OpenAPI description and Swagger UI are served under {@code /fhir/api-docs}
 * @param deleteExpunge     whether {@code _expunge=true} deletes may physically remove data
 * @param indexMissingFields whether absent fields are indexed, so that {@code :missing} searches work; costs an
 *                          index row per absent search parameter on every write
 * @param skipUnsubscribedChanges whether a change is kept out of HAPI's subscription pipeline when no active
 *                          subscription could match its resource type ({@link UnsubscribedChangeFilter})
 * @param inlineResourceTextBelow resource bodies shorter than this many characters are stored in the version row
 *                          itself instead of a separate large object (0: always a large object, HAPI's default)
 * @param indexStorageOptimized whether search-index rows leave out the parameter name, resource type and update
 *                          time that their hash columns already carry (HAPI's index storage optimisation)
 * @param tokenTextIndexed  whether a coding's display and a concept's text are also indexed as strings, so that
 *                          the {@code :text} modifier works on token parameters
 * @param maxIncludes       the most resources {@code _include} / {@code _revinclude} add to one search page
 */
@Validated
@ConfigurationProperties("ketafhir.server")
public record FhirServerProperties(
        @DefaultValue("") String baseUrl,
        @DefaultValue("20") @Positive int defaultPageSize,
        @DefaultValue("500") @Positive @Max(10_000) int maxPageSize,
        @DefaultValue("true") boolean bulkExport,
        @DefaultValue("true") boolean bulkImport,
        @DefaultValue("") List<Path> bulkImportFolders,
        @DefaultValue("true") boolean openApi,
        @DefaultValue("false") boolean deleteExpunge,
        @DefaultValue("true") boolean indexMissingFields,
        @DefaultValue("true") boolean skipUnsubscribedChanges,
        @DefaultValue("4000") @PositiveOrZero int inlineResourceTextBelow,
        @DefaultValue("true") boolean indexStorageOptimized,
        @DefaultValue("true") boolean tokenTextIndexed,
        @DefaultValue("1000") @Positive @Max(100_000) int maxIncludes) {

    @AssertTrue(message = "ketafhir.server.default-page-size must not exceed ketafhir.server.max-page-size")
    boolean isPageSizesConsistent() {
        return defaultPageSize <= maxPageSize;
    }

    @AssertTrue(message = "ketafhir.server.bulk-import-folders must name existing folders by absolute path")
    boolean isBulkImportFoldersUsable() {
        return bulkImportFolders.stream().allMatch(folder -> folder.isAbsolute() && Files.isDirectory(folder));
    }
}
