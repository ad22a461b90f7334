package org.ketafhir.dosing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ValueSet;
import org.ketafhir.dosing.Finding.Severity;
import org.ketafhir.ig.GuidePackage;
import org.ketafhir.ig.GuideValueSets;

/**
 * The contraindication groups the rules look for, one per contraindication rule of the guide's
 * {@link DosingRuleCatalogue}: the codes of its ValueSet ({@code ketafhir-contraindication-<group>}; an included
 * ValueSet of the guide is read whole), its severity and history flag, then the local settings
 * ({@code ketafhir.dosing.contraindications.<group>}) that add codes, replace them or change severity or history.
 *
 * <p>How a code matches: ICD-10-CM is hierarchical, so a listed code matches itself and every code that extends it,
 * dots ignored (I71 matches I71.4, I67.1 matches I67.10, O09 matches O09.891). Every other system matches exactly;
 * SNOMED CT descendants are not expanded (that needs a terminology server), so the guide's SNOMED CT lists are short
 * and a clinic adds its own codes. A setting's code ending in {@code *} matches every code it starts (any system).
 * The ICD-10-CM and SNOMED CT OIDs are read as their URIs.
 */
final class ContraindicationGroups {

    static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
    static final String SNOMED = "http://snomed.info/sct";
    private static final String GUIDE_VALUE_SETS = "http://ketafhir.org/fhir/ValueSet/";

    /**
     * @param group    the group's name, the rule id without {@code contraindication-}
     * @param codes    {@code system|code}; ICD-10-CM codes match their descendants, a trailing {@code *} any extension
     */
    record Group(String group, Severity severity, boolean history, Set<String> codes) {

        Group {
            codes = Set.copyOf(codes);
        }

        boolean matches(String system, String code) {
            if (system == null || code == null) {
                return false;
            }
            String found = qualified(system, code);
            for (String listed : codes) {
                boolean match = listed.endsWith("*") ? found.startsWith(listed.substring(0, listed.length() - 1))
                        : listed.startsWith(ICD10CM + "|") ? found.startsWith(listed)
                        : found.equals(listed);
                if (match) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Group> groups;

    ContraindicationGroups(List<Group> groups) {
        this.groups = List.copyOf(groups);
    }

    List<Group> groups() {
        return groups;
    }

    /**
     * @throws IllegalStateException when a setting names a group the guide does not define, or a ValueSet is missing:
     *                               the server must not start
     */
    static ContraindicationGroups fromGuide(GuidePackage guide, DosingRuleCatalogue catalogue,
            Map<String, DosingProperties.Contraindication> settings) {
        Set<String> known = new TreeSet<>();
        catalogue.contraindications().forEach(r -> known.add(r.code().substring(DosingRuleCatalogue.CONTRAINDICATION.length())));
        for (String key : settings.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalStateException("ketafhir.dosing.contraindications." + key + ": the guide's CodeSystem"
                        + " ketafhir-dosing-rule has no rule contraindication-" + key + " (groups: " + known + ")");
            }
        }
        List<Group> groups = new ArrayList<>();
        for (DosingRuleCatalogue.Rule rule : catalogue.contraindications()) {
            String name = rule.code().substring(DosingRuleCatalogue.CONTRAINDICATION.length());
            DosingProperties.Contraindication local = settings.get(name);
            Set<String> codes = new LinkedHashSet<>();
            if (local == null || local.mode() == DosingProperties.Contraindication.Mode.ADD) {
                codes.addAll(valueSetCodes(guide, rule.valueSet().orElseThrow()));
            }
            if (local != null && local.codes() != null) {
                local.codes().forEach(c -> {
                    int bar = c.indexOf('|');
                    codes.add(qualified(c.substring(0, bar), c.substring(bar + 1)));
                });
            }
            groups.add(new Group(name,
                    local != null && local.severity() != null ? local.severity() : rule.severity(),
                    local != null && local.history() != null ? local.history() : rule.history(),
                    codes));
        }
        return new ContraindicationGroups(groups);
    }

    /** A group of a guide ValueSet's codes that is not a contraindication (e.g. ketafhir-acute-suicidal-ideation). */
    static Group ofValueSet(GuidePackage guide, String id) {
        return new Group(id, Severity.WARNING, false, valueSetCodes(guide, GUIDE_VALUE_SETS + id));
    }

    /** The codes of a guide ValueSet: its enumerated concepts and, whole, the guide ValueSets it includes. */
    static Set<String> valueSetCodes(GuidePackage guide, String canonical) {
        if (!canonical.startsWith(GUIDE_VALUE_SETS)) {
            throw new IllegalStateException("Contraindication value set " + canonical + " is not one of the guide's");
        }
        String id = canonical.substring(GUIDE_VALUE_SETS.length());
        ValueSet valueSet = guide.resource(ValueSet.class, id);
        Set<String> codes = new LinkedHashSet<>();
        for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            include.getConcept().forEach(c -> codes.add(qualified(include.getSystem(), c.getCode())));
            for (CanonicalType included : include.getValueSet()) {
                GuideValueSets.enumerated(guide, included.getValue().substring(GUIDE_VALUE_SETS.length()))
                        .keySet().forEach(key -> {
                            int bar = key.indexOf('|');
                            codes.add(qualified(key.substring(0, bar), key.substring(bar + 1)));
                        });
            }
        }
        if (codes.isEmpty()) {
            throw new IllegalStateException("The guide's ValueSet/" + id + " lists no codes");
        }
        return codes;
    }

    /** {@code system|code}, ICD-10-CM without dots and upper case, the two OIDs as their URIs. */
    static String qualified(String system, String code) {
        String uri = switch (system) {
            case "urn:oid:2.16.840.1.113883.6.90" -> ICD10CM;
            case "urn:oid:2.16.840.1.113883.6.96" -> SNOMED;
            default -> system;
        };
        String value = code.trim();
        if (ICD10CM.equals(uri)) {
            value = value.replace(".", "").toUpperCase(Locale.ROOT);
        }
        return uri + "|" + value;
    }
}
