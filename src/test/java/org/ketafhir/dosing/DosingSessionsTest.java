package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationAdministration.MedicationAdministrationStatus;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingFacts.Medication;
import org.ketafhir.dosing.DosingFacts.Route;
import org.ketafhir.dosing.DosingFacts.Session;
import org.ketafhir.dosing.DosingFacts.Weight;
import org.ketafhir.ig.GuideValueSets;
import org.ketafhir.ig.GuidePackage;


/** A MedicationAdministration read as a dosing session, with the guide's medication codes. */
class DosingSessionsTest {

    private static final DosingSessions SESSIONS = new DosingSessions(MedicationCodes.fromGuide(GuidePackage.builtIn()));
    private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    private static MedicationAdministration administration(String system, String code) {
        MedicationAdministration administration = new MedicationAdministration();
        administration.setStatus(MedicationAdministrationStatus.COMPLETED);
        administration.getMedicationCodeableConcept().addCoding().setSystem(system).setCode(code);
        administration.setSubject(new Reference("Patient/p"));
        administration.setEffective(new Period()
                .setStart(Date.from(Instant.parse("2026-10-05T10:00:00Z")))
                .setEnd(Date.from(Instant.parse("2026-10-05T10:06:00Z"))));
        administration.getDosage().setDose(new Quantity().setValue(56).setSystem(DosingSessions.UCUM).setCode("mg"));
        administration.getDosage().getRoute().addCoding().setSystem("http://snomed.info/sct").setCode("46713006");
        return administration;
    }

    @Test
    void shouldTellEsketamineByAnyOfTheGuidesEsketamineCodes() {
        assertThat(SESSIONS.medicationOf(administration(RXNORM, "2201625"))).hasValue(Medication.ESKETAMINE);
        assertThat(SESSIONS.medicationOf(administration(RXNORM, "2201623"))).hasValue(Medication.ESKETAMINE);
        assertThat(SESSIONS.medicationOf(administration("http://hl7.org/fhir/sid/ndc", "50458-028-03")))
                .hasValue(Medication.ESKETAMINE);
        assertThat(SESSIONS.medicationOf(administration(RXNORM, "6130"))).hasValue(Medication.KETAMINE);
        assertThat(SESSIONS.medicationOf(administration(RXNORM, "36437"))).isEmpty();
    }

    /** The same session naming its drug by medicationReference instead of a code. */
    private static MedicationAdministration byReference(String reference) {
        MedicationAdministration administration = administration(RXNORM, "2201625");
        administration.setMedication(new Reference(reference));
        return administration;
    }

    @Test
    void shouldReadAContainedMedicationAsItsCode() {
        // #spravato is a contained Medication coded RxNorm 2201625 (Spravato): an esketamine session, checked as one
        MedicationAdministration administration = byReference("#spravato");
        org.hl7.fhir.r4.model.Medication spravato = new org.hl7.fhir.r4.model.Medication();
        spravato.setId("spravato");
        spravato.getCode().addCoding().setSystem(RXNORM).setCode("2201625");
        administration.addContained(spravato);

        assertThat(SESSIONS.medicationOf(administration)).hasValue(Medication.ESKETAMINE);
        assertThat(SESSIONS.read(administration)).hasValueSatisfying(s -> assertThat(s.doseMg()).isEqualByComparingTo("56"));
        assertThat(MedicationCodes.fromGuide(GuidePackage.builtIn()).isDosingSession(administration)).isTrue();
    }

    @Test
    void shouldReadAStoredMedicationThroughTheLookup() {
        // Medication/k is stored coded RxNorm 6130 (ketamine); Medication/other is coded 36437 (not in the value set);
        // Medication/missing is not stored
        DosingSessions sessions = new DosingSessions(MedicationCodes.fromGuide(GuidePackage.builtIn()), reference ->
                switch (reference) {
                    case "Medication/k" -> Optional.of(new CodeableConcept().addCoding(new Coding(RXNORM, "6130", null)));
                    case "Medication/other" -> Optional.of(new CodeableConcept().addCoding(new Coding(RXNORM, "36437", null)));
                    default -> Optional.empty();
                });

        assertThat(sessions.medicationOf(byReference("Medication/k"))).hasValue(Medication.KETAMINE);
        assertThat(sessions.medicationOf(byReference("Medication/other"))).isEmpty();
        assertThat(sessions.medicationOf(byReference("Medication/missing"))).isEmpty();
        // without a lookup (the outcome index) a stored Medication is not read, a contained one that is absent is empty
        assertThat(SESSIONS.medicationOf(byReference("Medication/k"))).isEmpty();
        assertThat(SESSIONS.medicationOf(byReference("#absent"))).isEmpty();
    }

    @Test
    void shouldReadTheTimesTheDoseAndTheOverride() {
        MedicationAdministration administration = administration(RXNORM, "2201625");
        administration.addExtension(DosingSessions.OBSERVATION_END, new DateTimeType("2026-10-05T12:10:00Z"));
        administration.addExtension(DosingSessions.OVERRIDE_REASON, new CodeableConcept()
                .addCoding(new Coding("http://ketafhir.org/fhir/CodeSystem/ketafhir", "titration-protocol", null)));

        Session session = SESSIONS.read(administration).orElseThrow();

        assertThat(session.start()).isEqualTo(Instant.parse("2026-10-05T10:00:00Z"));
        assertThat(session.doseEnd()).isEqualTo(Instant.parse("2026-10-05T10:06:00Z"));
        assertThat(session.observationEnd()).hasValue(Instant.parse("2026-10-05T12:10:00Z"));
        assertThat(session.doseMg()).isEqualByComparingTo("56");
        assertThat(session.intravenous()).isFalse();
        assertThat(session.completed()).isTrue();
        assertThat(session.overridden()).isTrue();
    }

    @Test
    void shouldReadTheRouteAndTheRate() {
        MedicationAdministration administration = administration(RXNORM, "6130");
        administration.getDosage().getRoute().getCodingFirstRep().setSystem("http://snomed.info/sct").setCode("37839007");
        administration.getDosage().setRate(new org.hl7.fhir.r4.model.Quantity().setValue(0.75).setUnit("mg/kg/h")
                .setSystem(DosingSessions.UCUM).setCode("mg/kg/h"));

        Session session = SESSIONS.read(administration).orElseThrow();

        assertThat(session.route()).isEqualTo(Route.SUBLINGUAL);
        assertThat(session.rate()).hasValueSatisfying(rate -> {
            assertThat(rate.value()).isEqualByComparingTo("0.75");
            assertThat(rate.ucum()).isEqualTo("mg/kg/h");
        });
    }

    @Test
    void shouldNotCheckASessionThatWasNotGivenOrIsEnteredInError() {
        MedicationAdministration notDone = administration(RXNORM, "6130").setStatus(MedicationAdministrationStatus.NOTDONE);
        MedicationAdministration error = administration(RXNORM, "6130").setStatus(MedicationAdministrationStatus.ENTEREDINERROR);

        assertThat(SESSIONS.read(notDone)).isEmpty();
        assertThat(SESSIONS.read(error)).isEmpty();
    }

    @Test
    void shouldWriteTheDosePerKgRoundedToThreeDecimalsAndTheWeightUsedOnce() {
        MedicationAdministration administration = administration(RXNORM, "6130");
        // 61 mg / 80 kg = 0.7625 -> 0.763 mg/kg
        BigDecimal perKg = new BigDecimal("61").divide(new BigDecimal("80"), DosingRules.PRECISION);
        Weight weight = new Weight(new BigDecimal("80"), Instant.parse("2026-10-05T09:40:00Z"), "Observation/w");

        assertThat(DosingSessions.record(administration, Optional.of(perKg), Optional.of(weight))).isTrue();
        assertThat(DosingSessions.record(administration, Optional.of(perKg), Optional.of(weight))).isFalse();

        Quantity stored = (Quantity) administration.getDosage().getExtensionByUrl(DosingSessions.DOSE_PER_KG).getValue();
        assertThat(stored.getValue()).isEqualByComparingTo("0.763");
        assertThat(stored.getCode()).isEqualTo("mg/kg");
        assertThat(administration.getDosage().getExtensionsByUrl(DosingSessions.DOSE_PER_KG)).hasSize(1);
        assertThat(((Reference) administration.getExtensionByUrl(DosingSessions.BODY_WEIGHT_USED).getValue()).getReference())
                .isEqualTo("Observation/w");
    }

    /** Every route the rules single out is one of the guide's; a guide without one stops the server. */
    @Test
    void shouldReadEveryRouteTheGuideListsAndRefuseAGuideThatLacksOne() {
        Set<String> guideRoutes = GuideValueSets
                .enumerated(GuidePackage.builtIn(), "ketafhir-routes").keySet();
        Route.requireListed(guideRoutes);
        assertThat(guideRoutes.stream().map(DosingSessionsTest::routeOf))
                .contains(Route.INTRAVENOUS, Route.INTRAMUSCULAR, Route.NASAL,
                        Route.ORAL, Route.SUBLINGUAL)
                .as("subcutaneous has no rules of its own").contains(Route.OTHER);
        assertThat(routeOf("http://snomed.info/sct|47625008")).isEqualTo(Route.INTRAVENOUS);
        assertThat(routeOf("urn:oid:2.16.840.1.113883.3.26.1.1|47625008")).as("not SNOMED CT")
                .isEqualTo(Route.OTHER);

        Set<String> withoutIv = new HashSet<>(guideRoutes);
        withoutIv.remove("http://snomed.info/sct|47625008");
        assertThatThrownBy(() -> Route.requireListed(withoutIv))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("INTRAVENOUS (47625008)");
    }

    private static Route routeOf(String systemAndCode) {
        MedicationAdministration administration = administration(RXNORM, "6130");
        String[] parts = systemAndCode.split("\\|");
        administration.getDosage().setRoute(new CodeableConcept(new Coding(parts[0], parts[1], null)));
        return DosingSessions.route(administration);
    }
}
