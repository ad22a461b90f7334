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
import org.ketafhir.ig.GuidePackage;


/** The guide's CodeSystem ketafhir-dosing-rule is the rule catalogue: every rule the code emits has its concept. */
class DosingRuleCatalogueTest {

    private static final DosingRuleCatalogue CATALOGUE = DosingRuleCatalogue.fromGuide(GuidePackage.builtIn());
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
        ContraindicationGroups.fromGuide(GuidePackage.builtIn(), CATALOGUE, java.util.Map.of()).groups()
                .forEach(g -> emitted.add(DosingRuleCatalogue.CONTRAINDICATION + g.group()));

        // the 16 rules of the README table at the time of writing, plus the 9 contraindication groups
        assertThat(emitted).hasSizeGreaterThanOrEqualTo(16 + 9);
        assertThat(emitted).allSatisfy(rule -> assertThat(CATALOGUE.has(rule)).as("concept for %s", rule).isTrue());
    }

    /** The guide's catalogue with one rule changed, as a clinic's edited guide would have it. */
    private static DosingRuleCatalogue with(String code, Severity severity, boolean overridable) {
        java.util.Map<String, DosingRuleCatalogue.Rule> rules = new java.util.HashMap<>(CATALOGUE.rules());
        DosingRuleCatalogue.Rule rule = rules.get(code);
        rules.put(code, new DosingRuleCatalogue.Rule(code, rule.display(), severity, overridable, rule.valueSet(),
                rule.history()));
        return new DosingRuleCatalogue(rules);
    }

    @Test
    void theRulesShouldTakeSeverityFromTheCatalogue() {
        // 64 mg / 80 kg = 0.8 mg/kg: above the 0.75 warning level, under the 1.0 ceiling. The guide ships iv-dose-high
        // as a warning; with the concept's severity set to error the same dose is refused
        DosingCase.Case c = DosingCase.Case.iv("64");

        assertThat(c.evaluate().warnings()).extracting(Finding::rule).containsExactly("iv-dose-high");
        DosingRules.Evaluation strict = new DosingRules(DosingCase.DEFAULTS, with("iv-dose-high", Severity.ERROR, false))
                .evaluate(c.facts());
        assertThat(strict.errors()).extracting(Finding::rule).containsExactly("iv-dose-high");
    }

    @Test
    void theRulesShouldTakeOverridabilityFromTheCatalogue() {
        // 80 mg / 80 kg = 1.0 mg/kg, at the ceiling, with an override reason: the guide ships iv-dose-ceiling as
        // overridable (stored as an overridden warning); with overridable false the reason no longer lets it through
        DosingCase.Case c = DosingCase.Case.iv("80");
        c.overridden = true;

        assertThat(c.evaluate().errors()).isEmpty();
        DosingRules.Evaluation strict = new DosingRules(DosingCase.DEFAULTS, with("iv-dose-ceiling", Severity.ERROR, false))
                .evaluate(c.facts());
        assertThat(strict.errors()).extracting(Finding::rule).containsExactly("iv-dose-ceiling");
    }

    @Test
    void aContraindicationShouldKeepItsGroupsSeverity() {
        // a local setting made pregnancy an error: the group's severity stands, not the concept's warning
        DosingCase.Case c = DosingCase.Case.iv("40");
        c.contraindications = java.util.List.of(
                new DosingFacts.Contraindicated("pregnancy", Severity.ERROR, "Condition/1 coded x|Z33.1"));

        assertThat(c.evaluate().errors()).extracting(Finding::rule).containsExactly("contraindication-pregnancy");
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
