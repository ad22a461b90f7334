package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

class StorableValuesInterceptorTest {

    private final StorableValuesInterceptor interceptor = new StorableValuesInterceptor(FhirContext.forR4Cached());

    @Test
    void shouldRefuseADecimalBeyondDoubleRangeNamingItsElement() {
        Observation observation = new Observation();
        observation.setValue(new Quantity().setValue(new BigDecimal("1e400")).setUnit("mmHg"));

        assertThatThrownBy(() -> interceptor.check(observation))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Observation.valueQuantity.value: the decimal 1E+400 is outside");
    }

    @Test
    void shouldNameTheRepeatedElementByItsPosition() {
        Observation observation = new Observation();
        observation.addComponent().setValue(new Quantity().setValue(120));
        observation.addComponent().setValue(new Quantity().setValue(new BigDecimal("-2e308")));

        assertThatThrownBy(() -> interceptor.check(observation))
                .hasMessageStartingWith("Observation.component[1].valueQuantity.value:");
    }

    @Test
    void shouldAcceptTheLargestAndSmallestFiniteDoubles() {
        // Double.MAX_VALUE is about 1.7976931348623157E308; 1E-400 rounds to zero, which is storable
        Observation observation = new Observation();
        observation.addComponent().setValue(new Quantity().setValue(new BigDecimal("1.7976931348623157E308")));
        observation.addComponent().setValue(new Quantity().setValue(new BigDecimal("1E-400")));

        assertThatCode(() -> interceptor.check(observation)).doesNotThrowAnyException();
    }
}
