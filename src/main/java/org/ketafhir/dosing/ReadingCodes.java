package org.ketafhir.dosing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.ketafhir.dosing.DosingFacts.Vital;
import org.ketafhir.ig.GuidePackage;
import org.ketafhir.ig.GuideValueSets;

/**
 * The Observation codes ({@code system|code}) the dosing rules read as each session reading. SpO2 codes are the
 * guide's ketafhir-oxygen-saturation; the others are single codes that must stay in the guide's
 * ketafhir-session-vital-signs (LOINC) or ketafhir-sedation-dissociation (MOAA/S), so the server does not start when
 * the guide and the rules disagree.
 *
 * @param spo2 the codes of an oxygen saturation reading (59408-5, 2708-6)
 */
public record ReadingCodes(Set<String> spo2) {

    private static final String LOINC = "http://loinc.org|";
    public static final String BODY_WEIGHT = LOINC + "29463-7";
    public static final String BP_PANEL = LOINC + "85354-9";
    public static final String SYSTOLIC = LOINC + "8480-6";
    public static final String DIASTOLIC = LOINC + "8462-4";
    static final String RESPIRATORY_RATE = LOINC + "9279-1";
    static final String MOAAS = "http://ketafhir.org/fhir/CodeSystem/ketafhir|moaas";

    public ReadingCodes {
        spo2 = Set.copyOf(spo2);
    }

    static ReadingCodes fromGuide(GuidePackage guide) {
        Set<String> vitals = GuideValueSets.enumerated(guide, "ketafhir-session-vital-signs").keySet();
        Set<String> sedation = GuideValueSets.enumerated(guide, "ketafhir-sedation-dissociation").keySet();
        ReadingCodes codes = new ReadingCodes(GuideValueSets.enumerated(guide, "ketafhir-oxygen-saturation").keySet());
        List<String> missing = new ArrayList<>();
        Stream.concat(codes.spo2.stream(), Stream.of(BODY_WEIGHT, BP_PANEL, SYSTOLIC, DIASTOLIC, RESPIRATORY_RATE))
                .filter(c -> !vitals.contains(c))
                .forEach(missing::add);
        if (!sedation.contains(MOAAS)) {
            missing.add(MOAAS);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The dosing rules read " + missing
                    + " but the guide's session vital-sign / sedation value sets do not list them");
        }
        return codes;
    }

    /** The codes searched for a kind of reading. */
    Set<String> of(Vital vital) {
        return switch (vital) {
            case SPO2 -> spo2;
            case RESPIRATORY_RATE -> Set.of(RESPIRATORY_RATE);
            case SEDATION_MOAAS -> Set.of(MOAAS);
        };
    }
}
