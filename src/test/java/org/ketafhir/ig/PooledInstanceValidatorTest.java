package org.ketafhir.ig;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The validator that keeps its core validators must find exactly what HAPI's own finds, on the guide's examples
 * (no errors) and on its negative examples (each its named error), however many resources a kept validator has
 * already validated.
 */
class PooledInstanceValidatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private PooledInstanceValidator pooled;
    private FhirValidator pooledValidator;
    private FhirValidator hapiValidator;

    @BeforeEach
    void setUp() {
        GuideConformanceTest.Guide guide = GuideConformanceTest.Guide.get();
        // never retired here, so one kept validator sees every file in turn
        pooled = new PooledInstanceValidator(FHIR, Integer.MAX_VALUE);
        FhirInstanceValidator hapi = new FhirInstanceValidator(guide.support);
        for (FhirInstanceValidator module : List.of(pooled, hapi)) {
            module.setValidationSupport(guide.support);
            module.setAnyExtensionsAllowed(false);
            module.setErrorForUnknownProfiles(true);
        }
        pooledValidator = FHIR.newValidator().registerValidatorModule(pooled);
        hapiValidator = FHIR.newValidator().registerValidatorModule(hapi);
    }

    @Test
    void shouldFindWhatHapisValidatorFindsOnEveryExampleTwiceOver() {
        List<Path> files = Stream.concat(GuideConformanceTest.exampleFiles(), GuideConformanceTest.invalidFiles())
                .toList();
        assertThat(files).hasSizeGreaterThan(40);
        for (int pass = 1; pass <= 2; pass++) {
            for (Path file : files) {
                Resource resource = GuideConformanceTest.Guide.get().parse(file);
                ValidationOptions options = new ValidationOptions();
                assertThat(errors(pooledValidator, resource, options))
                        .as("pass %d, %s", pass, file)
                        .isEqualTo(errors(hapiValidator, resource, options));
            }
        }
        // One thread validated every file: one core validator was built and kept.
        assertThat(pooled.builtValidators()).isEqualTo(1);
        assertThat(pooled.keptValidators()).isEqualTo(1);
    }

    @Test
    void shouldFindANegativeExamplesErrorRightAfterAValidExampleOnTheSameKeptValidator() {
        Path valid = GuideConformanceTest.exampleFiles().findFirst().orElseThrow();
        Path invalid = GuideConformanceTest.invalidFiles().findFirst().orElseThrow();

        List<String> first = errors(pooledValidator, GuideConformanceTest.Guide.get().parse(valid),
                new ValidationOptions());
        List<String> second = errors(pooledValidator, GuideConformanceTest.Guide.get().parse(invalid),
                new ValidationOptions());
        List<String> third = errors(pooledValidator, GuideConformanceTest.Guide.get().parse(valid),
                new ValidationOptions());

        assertThat(first).isEmpty();
        assertThat(second).isNotEmpty();
        assertThat(third).as("no error of the negative example left behind").isEmpty();
    }

    @Test
    void shouldCheckAProfileAskedForAndDeclaredOnce() {
        Path invalid = GuideConformanceTest.invalidFiles().findFirst().orElseThrow();
        Resource resource = GuideConformanceTest.Guide.get().parse(invalid);
        ValidationOptions options = new ValidationOptions().addProfile(resource.getMeta().getProfile().get(0).getValue());

        List<String> declaredOnly = errors(pooledValidator, resource, new ValidationOptions());
        List<String> askedAndDeclared = errors(pooledValidator, resource, options);

        assertThat(askedAndDeclared).isNotEmpty().isEqualTo(declaredOnly);
    }

    @Test
    void shouldNameAnUnknownProfileAsAnError() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("weight");

        List<String> errors = errors(pooledValidator, observation,
                new ValidationOptions().addProfile("http://ketafhir.org/fhir/StructureDefinition/no-such-profile"));

        assertThat(errors).singleElement().asString().contains("no-such-profile");
    }

    @Test
    void shouldRetireAValidatorAfterItsNumberOfUses() {
        PooledInstanceValidator threeUses = new PooledInstanceValidator(FHIR, 3);
        threeUses.setValidationSupport(GuideConformanceTest.Guide.get().support);
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(threeUses);
        Resource example = GuideConformanceTest.Guide.get().parse(
                GuideConformanceTest.exampleFiles().findFirst().orElseThrow());

        for (int i = 0; i < 7; i++) {
            errors(validator, example, new ValidationOptions());
        }

        // uses 1-3 on the first, 4-6 on the second, 7 on a third, which is kept
        assertThat(threeUses.builtValidators()).isEqualTo(3);
        assertThat(threeUses.keptValidators()).isEqualTo(1);
    }

    @Test
    void shouldForgetItsKeptValidatorsWhenAStructureDefinitionIsWritten() {
        errors(pooledValidator, GuideConformanceTest.Guide.get().parse(
                GuideConformanceTest.exampleFiles().findFirst().orElseThrow()), new ValidationOptions());
        assertThat(pooled.keptValidators()).isEqualTo(1);

        pooled.updated(new StructureDefinition(), new StructureDefinition());

        assertThat(pooled.keptValidators()).isZero();
    }

    @Test
    void shouldKeepItsValidatorsWhenOtherResourcesAreWritten() {
        errors(pooledValidator, GuideConformanceTest.Guide.get().parse(
                GuideConformanceTest.exampleFiles().findFirst().orElseThrow()), new ValidationOptions());

        pooled.created(new Observation());

        assertThat(pooled.keptValidators()).isEqualTo(1);
    }

    private static List<String> errors(FhirValidator validator, Resource resource, ValidationOptions options) {
        return validator.validateWithResult(resource, options).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(PooledInstanceValidatorTest::describe)
                .sorted()
                .toList();
    }

    private static String describe(SingleValidationMessage message) {
        return message.getSeverity() + " " + message.getLocationString() + " " + message.getMessage();
    }
}
