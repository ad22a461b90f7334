package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.Finding.Severity;

import ca.uhn.fhir.context.FhirContext;

/** The guide's CodeSystem ketafhir-dosing-rule is the rule catalogue: every rule the code emits has its concept. */
class DosingRuleCatalogueTest {

    private static final DosingRuleCatalogue CATALOGUE = DosingRuleCatalogue.fromGuide(FhirContext.forR4Cached());
    /** A rule id as the dosing code writes it: the first argument of a Finding, or of the catalogue's finding(...). */
    private static final Pattern EMITTED = Pattern.compile("(?:new Finding|finding)\\(\\s*\"([a-z0-9-]+)\"\\s*,");

    @Test
    void everyRuleIdTheCodeCanEmitShouldHaveAConcept() throws IOException {
        Set<String> emitted = new TreeSet<>();
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/org/ketafhir/dosing"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = EMITTED.matcher(Files.readString(source));
                while (m.find()) {
                    emitted.add(m.group(1));
                }
            }
        }
        // the contraindication rules are contraindication-<group>, one per group of the guide
        ContraindicationGroups.fromGuide(FhirContext.forR4Cached(), CATALOGUE, java.util.Map.of()).groups()
                .forEach(g -> emitted.add(DosingRuleCatalogue.CONTRAINDICATION + g.group()));

        // the 16 rules of the README table at the time of writing, plus the 9 contraindication groups
        assertThat(emitted).hasSizeGreaterThanOrEqualTo(16 + 9);
        assertThat(emitted).allSatisfy(rule -> assertThat(CATALOGUE.has(rule)).as("concept for %s", rule).isTrue());
    }

    @Test
    void aRuleWithoutAConceptShouldFailInsteadOfDefaulting() {
        assertThatThrownBy(() -> CATALOGUE.rule("no-such-rule"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no-such-rule");
    }

    @Test
    void shouldReadSeverityOverridabilityAndTheContraindicationValueSets() {
        // README table: iv-dose-ceiling error, overridable; iv-dose-high warning; weight-missing error, not overridable
        assertThat(CATALOGUE.rule("iv-dose-ceiling")).extracting(DosingRuleCatalogue.Rule::severity,
                DosingRuleCatalogue.Rule::overridable).containsExactly(Severity.ERROR, true);
        assertThat(CATALOGUE.rule("iv-dose-high").severity()).isEqualTo(Severity.WARNING);
        assertThat(CATALOGUE.rule("weight-missing").overridable()).isFalse();
        // aneurysmal vascular disease: an error, a history counts, codes in its own ValueSet
        DosingRuleCatalogue.Rule aneurysm = CATALOGUE.rule("contraindication-aneurysmal-vascular-disease");
        assertThat(aneurysm.severity()).isEqualTo(Severity.ERROR);
        assertThat(aneurysm.history()).isTrue();
        assertThat(aneurysm.valueSet()).contains(
                "http://ketafhir.org/fhir/ValueSet/ketafhir-contraindication-aneurysmal-vascular-disease");
        // pregnancy: a warning, a resolved pregnancy does not count
        assertThat(CATALOGUE.rule("contraindication-pregnancy").severity()).isEqualTo(Severity.WARNING);
        assertThat(CATALOGUE.rule("contraindication-pregnancy").history()).isFalse();
    }
}
