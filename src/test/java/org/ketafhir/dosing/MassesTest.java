package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

class MassesTest {

    private static final String UCUM = "http://unitsofmeasure.org";

    @Test
    void shouldConvertEveryUcumMassUnitToGrams() {
        assertThat(Masses.grams(ucum(80, "kg"))).hasValueSatisfying(g -> assertThat(g).isEqualByComparingTo("80000"));
        // 1 [lb_av] = 453.59237 g exactly: 154 x 453.59237 = 69853.22498
        assertThat(Masses.grams(ucum(154, "[lb_av]")))
                .hasValueSatisfying(g -> assertThat(g).isEqualByComparingTo("69853.22498"));
        // 16 [oz_av] make a pound: 2464 oz = 154 lb
        assertThat(Masses.grams(ucum(2464, "[oz_av]")))
                .hasValueSatisfying(g -> assertThat(g).isEqualByComparingTo("69853.22498"));
        assertThat(Masses.grams(ucum(40, "mg"))).hasValueSatisfying(g -> assertThat(g).isEqualByComparingTo("0.04"));
    }

    @Test
    void shouldReadAQuantityWithoutSystemAsUcumAndWithoutCodeByItsUnit() {
        assertThat(Masses.grams(new Quantity().setValue(70).setCode("kg")))
                .hasValueSatisfying(g -> assertThat(g).isEqualByComparingTo("70000"));
        assertThat(Masses.grams(new Quantity().setValue(56).setUnit("mg")))
                .hasValueSatisfying(g -> assertThat(g).isEqualByComparingTo("0.056"));
    }

    @Test
    void shouldGiveNothingForALengthAnUnknownUnitAnotherSystemOrNoValue() {
        assertThat(Masses.grams(ucum(170, "cm"))).isEmpty();
        assertThat(Masses.grams(ucum(70, "kilos"))).isEmpty();
        assertThat(Masses.grams(new Quantity().setValue(70).setSystem("http://example.org/units").setCode("kg")))
                .isEmpty();
        assertThat(Masses.grams(new Quantity().setSystem(UCUM).setCode("kg"))).isEmpty();
        assertThat(Masses.grams(null)).isEmpty();
    }

    private static Quantity ucum(double value, String code) {
        return new Quantity().setValue(BigDecimal.valueOf(value).stripTrailingZeros()).setSystem(UCUM).setCode(code)
                .setUnit(code);
    }
}
