package org.ketafhir.ig;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The implementation guide in the server, bound from {@code ketafhir.ig.*}.
 *
 * @param packageResource classpath location of the guide's NPM package (built from {@code fhir-profiles/})
 * @param enforce         refuse writes that fail the guide's profiles (422); off = store as plain FHIR
 */
@Validated
@ConfigurationProperties("ketafhir.ig")
public record IgProperties(
        @DefaultValue("classpath:ig-package/ketafhir.ig-0.1.0.tgz") @NotBlank String packageResource,
        @DefaultValue("true") boolean enforce) {}
