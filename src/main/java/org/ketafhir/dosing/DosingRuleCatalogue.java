package org.ketafhir.dosing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.ketafhir.dosing.Finding.Severity;
import org.ketafhir.ig.GuidePackage;


/**
 * The dosing rules as the guide defines them: CodeSystem {@code ketafhir-dosing-rule}, one concept per rule id the
 * server emits, with its default severity, whether an override reason lets it through and, for a contraindication
 * rule, the ValueSet it reads and whether a history counts. A rule id without a concept is a programming error: the
 * lookup fails instead of defaulting.
 */
final class DosingRuleCatalogue {

    static final String URL = "http://ketafhir.org/fhir/CodeSystem/ketafhir-dosing-rule";
    private static final String ID = "ketafhir-dosing-rule";
    static final String CONTRAINDICATION = "contraindication-";

    /**
     * @param valueSet contraindication rules: the canonical of the ValueSet of codes they look for
     * @param history  contraindication rules: whether a resolved or inactive record still counts
     */
    record Rule(String code, String display, Severity severity, boolean overridable, Optional<String> valueSet,
            boolean history) {}

    private final Map<String, Rule> rules;

    DosingRuleCatalogue(Map<String, Rule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** @throws IllegalStateException when the CodeSystem is missing or a concept lacks its severity: no start-up */
    static DosingRuleCatalogue fromGuide(GuidePackage guide) {
        CodeSystem codeSystem = guide.resource(CodeSystem.class, ID);
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (ConceptDefinitionComponent concept : codeSystem.getConcept()) {
            String severity = property(concept, "severity").map(p -> p.getValue().primitiveValue())
                    .orElseThrow(() -> new IllegalStateException("CodeSystem/" + ID + ": rule " + concept.getCode()
                            + " has no severity"));
            rules.put(concept.getCode(), new Rule(concept.getCode(), concept.getDisplay(),
                    Severity.valueOf(severity.toUpperCase(Locale.ROOT)),
                    flag(concept, "overridable"), property(concept, "value-set").map(p -> p.getValue().primitiveValue()),
                    flag(concept, "history")));
        }
        return new DosingRuleCatalogue(rules);
    }

    /** @throws IllegalStateException when the guide has no such rule */
    Rule rule(String code) {
        Rule rule = rules.get(code);
        if (rule == null) {
            throw new IllegalStateException("Dosing rule " + code + " has no concept in CodeSystem " + URL);
        }
        return rule;
    }

    /** Every rule, by code. */
    Map<String, Rule> rules() {
        return rules;
    }

    boolean has(String code) {
        return rules.containsKey(code);
    }

    /** The contraindication rules, in code order. */
    List<Rule> contraindications() {
        return rules.values().stream().filter(r -> r.code().startsWith(CONTRAINDICATION) && r.valueSet().isPresent())
                .sorted(java.util.Comparator.comparing(Rule::code)).toList();
    }

    private static Optional<ConceptPropertyComponent> property(ConceptDefinitionComponent concept, String code) {
        return concept.getProperty().stream().filter(p -> code.equals(p.getCode()) && p.hasValue()).findFirst();
    }

    private static boolean flag(ConceptDefinitionComponent concept, String code) {
        return property(concept, code).map(p -> "true".equals(p.getValue().primitiveValue())).orElse(false);
    }
}
