package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The settings bound as the server binds them: defaults, and start-up refused on an impossible setting. */
class DosingPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DosingProperties.class)
    static class PropertiesOnly {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class);

    @Test
    void shouldBindTheDocumentedDefaults() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            DosingProperties properties = context.getBean(DosingProperties.class);
            assertThat(properties.enabled()).isTrue();
            assertThat(properties.weightWindowDays()).isEqualTo(30);
            assertThat(properties.iv().warningMgPerKg()).isEqualByComparingTo("0.75");
            assertThat(properties.iv().errorMgPerKg()).isEqualByComparingTo("1.0");
            assertThat(properties.iv().minInfusionMinutes()).isEqualTo(40);
            assertThat(properties.iv().shortInfusionSeverity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(properties.esketamine()).isEqualTo(new DosingProperties.Esketamine(28, 84, 56, 28, 65, 4, 2, 120, false, 84, 24, 8, 1, 56));
            assertThat(properties.bloodPressure()).isEqualTo(new DosingProperties.BloodPressure(60, 140, 90, 180, 110, 30, 60, true));
            // the contraindication groups are the guide's (ValueSets ketafhir-contraindication-*): no local change
            assertThat(properties.contraindications()).isEmpty();
            assertThat(properties.readings()).isEqualTo(DosingCase.DEFAULTS.readings());
            assertThat(properties.im()).isEqualTo(DosingCase.DEFAULTS.im());
            assertThat(properties.oral()).isEqualTo(DosingCase.DEFAULTS.oral());
        });
    }

    @Test
    void theShippedSettingsFileShouldHoldTheSameValuesAsTheDefaults() {
        runner.withInitializer(context -> {
            try {
                new org.springframework.boot.env.YamlPropertySourceLoader()
                        .load("application.yaml", new org.springframework.core.io.FileSystemResource("config/application.yaml"))
                        .forEach(source -> context.getEnvironment().getPropertySources().addFirst(source));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).run(context -> {
            assertThat(context).hasNotFailed();
            DosingProperties shipped = context.getBean(DosingProperties.class);
            assertThat(shipped.weightWindowDays()).isEqualTo(30);
            assertThat(shipped.iv().warningMgPerKg()).isEqualByComparingTo("0.75");
            assertThat(shipped.iv().errorMgPerKg()).isEqualByComparingTo("1.0");
            assertThat(shipped.iv().minObservationMinutes()).isEqualTo(60);
            assertThat(shipped.iv().minInfusionMinutes()).isEqualTo(40);
            assertThat(shipped.iv().shortInfusionSeverity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(shipped.esketamine()).isEqualTo(new DosingProperties.Esketamine(28, 84, 56, 28, 65, 4, 2, 120, false, 84, 24, 8, 1, 56));
            assertThat(shipped.bloodPressure()).isEqualTo(new DosingProperties.BloodPressure(60, 140, 90, 180, 110, 30, 60, true));
            // no second copy of the contraindication codes in the settings file
            assertThat(shipped.contraindications()).isEmpty();
            assertThat(shipped.clinicTimeZone()).isEmpty();
            assertThat(shipped.readings()).isEqualTo(DosingCase.DEFAULTS.readings());
            assertThat(shipped.im()).isEqualTo(DosingCase.DEFAULTS.im());
            assertThat(shipped.oral()).isEqualTo(DosingCase.DEFAULTS.oral());
        });
    }

    @Test
    void shouldBindChangedThresholds() {
        runner.withPropertyValues("ketafhir.dosing.iv.warning-mg-per-kg=0.6", "ketafhir.dosing.iv.error-mg-per-kg=0.9")
                .run(context -> assertThat(context.getBean(DosingProperties.class).iv().errorMgPerKg())
                        .isEqualByComparingTo(new BigDecimal("0.9")));
    }

    @Test
    void shouldRefuseToStartWithANegativeDoseNamingTheKey() {
        runner.withPropertyValues("ketafhir.dosing.iv.warning-mg-per-kg=-0.5").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("ketafhir.dosing.iv.warning-mg-per-kg");
        });
    }

    @Test
    void shouldRefuseToStartWithAnErrorLevelBelowTheWarningLevel() {
        // error at 0.7 mg/kg under a warning at 0.75 mg/kg
        runner.withPropertyValues("ketafhir.dosing.iv.error-mg-per-kg=0.7").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("ketafhir.dosing.iv.error-mg-per-kg must not be below ketafhir.dosing.iv.warning-mg-per-kg");
        });
    }

    @Test
    void shouldRefuseToStartWithAMaximumEsketamineDoseBelowTheFirstDose() {
        runner.withPropertyValues("ketafhir.dosing.esketamine.max-dose-mg=28").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("ketafhir.dosing.esketamine.max-dose-mg");
        });
    }

    @Test
    void shouldRefuseToStartWithAFirstDoseThatIsNotWholeDevices() {
        runner.withPropertyValues("ketafhir.dosing.esketamine.first-dose-mg=50").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("ketafhir.dosing.esketamine.device-mg");
        });
    }

    @Test
    void shouldRefuseToStartWithAPauseLevelUnderTheWarningLevel() {
        runner.withPropertyValues("ketafhir.dosing.blood-pressure.pause-systolic=140").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("ketafhir.dosing.blood-pressure.pause-systolic");
        });
    }

    @Test
    void shouldRefuseToStartWithAnSpo2LimitOver100Percent() {
        runner.withPropertyValues("ketafhir.dosing.readings.spo2-below-percent=101").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("ketafhir.dosing.readings.spo2-below-percent");
        });
    }

    @Test
    void shouldRefuseToStartWithAContraindicationReplacedByNoCodes() {
        runner.withPropertyValues("ketafhir.dosing.contraindications.pregnancy.mode=replace").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("ketafhir.dosing.contraindications.*.codes");
        });
    }

    @Test
    void shouldBindTheClinicTimeZoneAndRefuseAnUnknownOne() {
        runner.withPropertyValues("ketafhir.dosing.clinic-time-zone=America/New_York").run(context ->
                assertThat(context.getBean(DosingProperties.class).clinicZone()).isEqualTo(java.time.ZoneId.of("America/New_York")));
        runner.withPropertyValues("ketafhir.dosing.clinic-time-zone=Mars/Olympus").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("ketafhir.dosing.clinic-time-zone");
        });
        // empty (the default): the server's time zone
        runner.run(context -> assertThat(context.getBean(DosingProperties.class).clinicZone())
                .isEqualTo(java.time.ZoneId.systemDefault()));
    }

    @Test
    void shouldBindALocalChangeToAContraindicationGroup() {
        runner.withPropertyValues("ketafhir.dosing.contraindications.pregnancy.severity=error",
                "ketafhir.dosing.contraindications.pregnancy.codes[0]=http://snomed.info/sct|77386006").run(context -> {
                    DosingProperties.Contraindication pregnancy = context.getBean(DosingProperties.class)
                            .contraindications().get("pregnancy");
                    assertThat(pregnancy.severity()).isEqualTo(Finding.Severity.ERROR);
                    assertThat(pregnancy.mode()).isEqualTo(DosingProperties.Contraindication.Mode.ADD);
                    assertThat(pregnancy.history()).isNull();
                    assertThat(pregnancy.codes()).containsExactly("http://snomed.info/sct|77386006");
                });
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
