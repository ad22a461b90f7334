package org.ketafhir.ig;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The concepts a guide ValueSet enumerates, read from the guide's package ({@link GuidePackage}), so that code lists
 * the server acts on (dosing-session medications, psychotherapy kinds, safety signals...) are the guide's own, the
 * same the validator enforces, and a code added there is picked up.
 */
public final class GuideValueSets {

    private GuideValueSets() {}

    /**
     * @param id the ValueSet id, e.g. {@code ketafhir-medications}
     * @return {@code system|code} to display (the code when the guide gives none), in the guide's order
     * @throws IllegalStateException when the ValueSet is missing or enumerates no concept: the server must not start
     */
    public static Map<String, String> enumerated(GuidePackage guide, String id) {
        ValueSet valueSet = guide.resource(ValueSet.class, id);
        Map<String, String> concepts = new LinkedHashMap<>();
        valueSet.getCompose().getInclude().forEach(include -> include.getConcept().forEach(concept ->
                concepts.put(include.getSystem() + "|" + concept.getCode(),
                        concept.hasDisplay() ? concept.getDisplay() : concept.getCode())));
        if (concepts.isEmpty()) {
            throw new IllegalStateException("The guide's ValueSet/" + id + " enumerates no codes");
        }
        return concepts;
    }
}
