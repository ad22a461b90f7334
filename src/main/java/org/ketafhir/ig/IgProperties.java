package org.ketafhir.ig;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The implementation guide in the server, bound from {@code ketafhir.ig.*}.
 *
 * @param packageResource the guide's NPM package, which the server installs and whose code lists and rules it acts on
 *                        (a Spring resource location; by default the package built from {@code fhir-profiles/})
 * @param enforce         refuse writes that fail the guide's profiles (422); off = store as plain FHIR
 * @param checkBeforeTransaction check a transaction's entries before its database transaction, several at a time
 *                        (the same findings; off = each entry inside the database transaction, one after another)
 * @param transactionCheckThreads how many threads check one transaction's entries, the request's own included
 *                        (0 = one per processor)
 */
@Validated
@ConfigurationProperties("ketafhir.ig")
public record IgProperties(
        @DefaultValue(GuidePackage.BUILT_IN) @NotBlank String packageResource,
        @DefaultValue("true") boolean enforce,
        @DefaultValue("true") boolean checkBeforeTransaction,
        @DefaultValue("0") @PositiveOrZero int transactionCheckThreads) {

    /** The number of threads that check a transaction's entries. */
    int checkThreads() {
        return transactionCheckThreads == 0 ? Runtime.getRuntime().availableProcessors() : transactionCheckThreads;
    }
}
