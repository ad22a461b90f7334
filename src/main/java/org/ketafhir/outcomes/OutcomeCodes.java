package org.ketafhir.outcomes;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.ketafhir.ig.GuidePackage;
import org.ketafhir.ig.GuideValueSets;

/**
 * The codes that make a resource count for an outcome summary, read from the guide's value sets so that a code
 * added to the guide is picked up, and the display of every code those value sets name (for readable output).
 *
 * @param psychotherapy        psychotherapy procedure / encounter types
 * @param safetySignals        Flag codes that are safety signals
 * @param sedation             sedation score codes (MOAA/S)
 * @param conditions           the conditions in scope, for breakdowns by condition
 * @param suicidalIdeationItem the item whose answer tracks suicidal ideation (system|code)
 * @param displays             display text by system|code
 */
record OutcomeCodes(
        Set<String> psychotherapy,
        Set<String> safetySignals,
        Set<String> sedation,
        Set<String> conditions,
        String suicidalIdeationItem,
        Map<String, String> displays) {

    static OutcomeCodes fromGuide(GuidePackage guide, String suicidalIdeationItem) {
        Map<String, String> displays = new HashMap<>();
        Map<String, String> psychotherapy = read(guide, "ketafhir-psychotherapy", displays);
        Map<String, String> signals = read(guide, "ketafhir-safety-signals", displays);
        Map<String, String> sedation = read(guide, "ketafhir-sedation-dissociation", displays);
        Map<String, String> conditions = read(guide, "ketafhir-conditions", displays);
        read(guide, "ketafhir-adverse-events", displays);
        read(guide, "ketafhir-routes", displays);
        read(guide, "ketafhir-severity-bands", displays);
        return new OutcomeCodes(
                psychotherapy.keySet(),
                signals.keySet(),
                // CADSS is an instrument total and is read as a score; the value set's other codes are sedation scales.
                sedation.keySet().stream().filter(token -> !token.endsWith("|cadss-total")).collect(Collectors.toSet()),
                conditions.keySet(),
                suicidalIdeationItem,
                displays);
    }

    OutcomeCodes {
        psychotherapy = Set.copyOf(psychotherapy);
        safetySignals = Set.copyOf(safetySignals);
        sedation = Set.copyOf(sedation);
        conditions = Set.copyOf(conditions);
        displays = Map.copyOf(displays);
    }

    /** The display of a code, or the code itself when the guide does not name it. */
    String describe(String token) {
        if (token == null) {
            return "";
        }
        return displays.getOrDefault(token, token);
    }

    static String token(Coding coding) {
        return coding.getSystem() + "|" + coding.getCode();
    }

    static boolean anyIn(CodeableConcept concept, Set<String> tokens) {
        return concept != null && concept.getCoding().stream().anyMatch(c -> tokens.contains(token(c)));
    }

    /** A guide ValueSet's concepts; those the guide gives a display are added to {@code displays}. */
    private static Map<String, String> read(GuidePackage guide, String id, Map<String, String> displays) {
        Map<String, String> concepts = GuideValueSets.enumerated(guide, id);
        concepts.forEach((token, display) -> {
            if (!token.endsWith("|" + display)) {
                displays.putIfAbsent(token, display);
            }
        });
        return concepts;
    }
}
