package org.ketafhir.dosing;

import ca.uhn.fhir.jpa.model.util.UcumServiceUtil;
import java.math.BigDecimal;
import java.util.Optional;
import org.fhir.ucum.Pair;
import org.hl7.fhir.r4.model.Quantity;

/**
 * Masses in any UCUM mass unit (kg, g, mg, [lb_av], [oz_av], ...), converted by HAPI's UCUM service rather than by a
 * table of units kept here.
 */
public final class Masses {

    private static final String GRAM = "g";

    private Masses() {}

    /**
     * The quantity in grams; empty when it has no value, is not a mass, or is coded in another system than UCUM. A
     * quantity without a system is read as UCUM, and one without a code by its unit text.
     */
    public static Optional<BigDecimal> grams(Quantity quantity) {
        if (quantity == null || !quantity.hasValue()) {
            return Optional.empty();
        }
        String code = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
        String system = quantity.hasSystem() ? quantity.getSystem() : UcumServiceUtil.UCUM_CODESYSTEM_URL;
        Pair canonical = UcumServiceUtil.getCanonicalForm(system, quantity.getValue(), code);
        if (canonical == null || canonical.getValue() == null || !GRAM.equals(canonical.getCode())) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(canonical.getValue().asDecimal()));
    }
}
