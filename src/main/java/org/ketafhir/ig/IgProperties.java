package org.ketafhir.ig;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The implementation guide in the server, bound from {@code ketafhir.ig.*}.
 *
 * @param packageResource the guide's NPM package, which the server installs and whose code lists and rules it acts on
 *                        (a Spring resource location; by default the package built from {@code fhir-profiles/})
 * @param enforce         refuse writes that fail the guide's profiles (422); off = store as plain FHIR
 */
@Validated
@ConfigurationProperties("ketafhir.ig")
public record IgProperties(
        @DefaultValue(GuidePackage.BUILT_IN) @NotBlank String packageResource,
        @DefaultValue("true") boolean enforce) {}
