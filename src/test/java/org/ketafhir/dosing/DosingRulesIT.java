package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.VitalSigns;

/** Dosing rules on write, through the REST API: stored with mg/kg, refused with 422, warned with a DetectedIssue. */
class DosingRulesIT extends FhirServerTestBase {

    private static final Instant START = Instant.parse("2026-10-05T10:00:00Z");
    private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    @Test
    void aValidIvSessionShouldBeStoredWithItsDosePerKgAndTheWeightUsed() {
        String patient = patient("1980-01-01");
        String weight = weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));

        // 40 mg / 80 kg = 0.5 mg/kg
        HttpResponse<String> stored = postJson("/MedicationAdministration", json(iv(patient, 40)));

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        MedicationAdministration session = parse(MedicationAdministration.class, stored.body());
        Quantity perKg = (Quantity) session.getDosage().getExtensionByUrl(DosingSessions.DOSE_PER_KG).getValue();
        assertThat(perKg.getValue()).isEqualByComparingTo("0.5");
        assertThat(perKg.getCode()).isEqualTo("mg/kg");
        assertThat(((Reference) session.getExtensionByUrl(DosingSessions.BODY_WEIGHT_USED).getValue()).getReference())
                .isEqualTo(weight);
        assertThat(issuesOf(session)).isEmpty();
    }

    // ---- one session posted after the records a case stores: refused, warned, or stored clean

    /** What a case stores for the patient (born 1980-01-01 unless it says otherwise), and the session it then posts. */
    @FunctionalInterface
    interface Given {
        MedicationAdministration session(DosingRulesIT it, String patient);
    }

    /** A session the rules refuse: 422, an error naming the rule with each of {@code mentions}, no session stored. */
    record Refusal(Given given, List<String> mentions) {}

    static Stream<Arguments> refusals() {
        return Stream.of(
                argumentSet("IV 80 mg at 80 kg (1.0 mg/kg, at the ceiling): iv-dose-ceiling with the dose and the threshold",
                        new Refusal((it, patient) -> {
                            it.ivReadings(patient);
                            return iv(patient, 80);
                        }, List.of("iv-dose-ceiling", "measured: 1 mg/kg", "threshold: at or above 1 mg/kg"))),
                argumentSet("IV session without a body weight: weight-missing naming the body weight and its LOINC code",
                        new Refusal((it, patient) -> {
                            it.bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
                            return iv(patient, 40);
                        }, List.of("weight-missing", "body weight", "29463-7"))),
                // a first dose three days earlier, so only the dose rules are at stake
                argumentSet("esketamine 70 mg (2.5 devices of 28 mg): esketamine-dose-whole-devices",
                        new Refusal((it, patient) -> {
                            it.esketamineReadings(patient);
                            it.earlierEsketamineDose(patient, START.minus(Duration.ofDays(3)));
                            return esketamine(patient, 70, START);
                        }, List.of("esketamine-dose-whole-devices", "70 mg", "a multiple of 28 mg"))),
                argumentSet("esketamine 112 mg (4 devices, above 84 mg): esketamine-dose-max",
                        new Refusal((it, patient) -> {
                            it.esketamineReadings(patient);
                            it.earlierEsketamineDose(patient, START.minus(Duration.ofDays(3)));
                            return esketamine(patient, 112, START);
                        }, List.of("esketamine-dose-max", "112 mg", "at most 84 mg"))),
                // no acute suicidal ideation recorded: the US label's first dose is 56 mg (no age rule by default)
                argumentSet("a first esketamine dose of 84 mg without acute suicidal ideation: esketamine-first-dose",
                        new Refusal((it, patient) -> {
                            it.esketamineReadings(patient);
                            return esketamine(patient, 84, START);
                        }, List.of("esketamine-first-dose", "84 mg as the first dose", "threshold: 56 mg)"))),
                // a resolved Condition still counts: the contraindication is the history, not the current state
                argumentSet("a recorded intracerebral haemorrhage (ICD-10-CM I61.9, resolved): its contraindication",
                        new Refusal((it, patient) -> {
                            it.ivReadings(patient);
                            Condition haemorrhage = new Condition();
                            haemorrhage.setSubject(new Reference(patient));
                            haemorrhage.getClinicalStatus().addCoding()
                                    .setSystem("http://terminology.hl7.org/CodeSystem/condition-clinical").setCode("resolved");
                            haemorrhage.getCode().addCoding().setSystem("http://hl7.org/fhir/sid/icd-10-cm").setCode("I61.9");
                            it.create(haemorrhage);
                            return iv(patient, 40);
                        }, List.of("contraindication-intracerebral-haemorrhage"))),
                // abdominal aortic aneurysm, SNOMED CT 233985008 (ValueSet ketafhir-contraindication-aneurysmal-vascular-disease);
                // 40 mg / 80 kg = 0.5 mg/kg: only the contraindication is at stake
                argumentSet("a US Core Condition coded in SNOMED CT (aortic aneurysm): its contraindication naming the code",
                        new Refusal((it, patient) -> {
                            it.ivReadings(patient);
                            Condition aneurysm = new Condition();
                            aneurysm.getMeta().addProfile(
                                    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-problems-health-concerns");
                            aneurysm.setSubject(new Reference(patient));
                            aneurysm.getClinicalStatus().addCoding()
                                    .setSystem("http://terminology.hl7.org/CodeSystem/condition-clinical").setCode("active");
                            aneurysm.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("233985008")
                                    .setDisplay("Abdominal aortic aneurysm");
                            it.create(aneurysm);
                            return iv(patient, 40);
                        }, List.of("contraindication-aneurysmal-vascular-disease", "http://snomed.info/sct|233985008"))),
                // the dose in grams: the profile's ketafhir-dose-mg constraint refuses it, as for a coded session
                argumentSet("a dose in grams, ketamine named by a stored Medication: the dosing-session profile",
                        new Refusal((it, patient) -> {
                            org.hl7.fhir.r4.model.Medication ketamine = new org.hl7.fhir.r4.model.Medication();
                            ketamine.getCode().addCoding().setSystem(RXNORM).setCode("6130");
                            MedicationAdministration grams = iv(patient, 40);
                            grams.setMedication(new Reference(it.create(ketamine)));
                            grams.getDosage().getDose().setUnit("g").setCode("g");
                            return grams;
                        }, List.of("dosing-session"))));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void aSessionBreakingARuleShouldBeRefusedWith422NamingTheRuleAndStoreNothing(Refusal refusal) {
        String patient = patient("1980-01-01");
        MedicationAdministration session = refusal.given().session(this, patient);
        int storedBefore = sessionsOf(patient).size();

        HttpResponse<String> refused = postJson("/MedicationAdministration", json(session));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(parse(OperationOutcome.class, refused.body()).getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getDiagnostics()).contains(refusal.mentions());
        });
        assertThat(sessionsOf(patient)).hasSize(storedBefore);
    }

    /** A session the rules let through with a warning naming each of {@code mentions} and none of {@code absent}. */
    record Warning(Given given, List<String> mentions, List<String> absent) {}

    static Stream<Arguments> warningsOnTheSession() {
        return Stream.of(
                argumentSet("IV 64 mg at 80 kg (0.8 mg/kg: above 0.75, under 1.0): iv-dose-high",
                        new Warning((it, patient) -> {
                            it.ivReadings(patient);
                            return iv(patient, 64);
                        }, List.of("iv-dose-high", "0.8 mg/kg", "above 0.75 mg/kg"), List.of())),
                // pre-dose 120/80 as two Observations (8480-6, 8462-4) at -10 min, no panel: without them, bp-pre-missing;
                // SpO2 coded only 2708-6, 91 % at +20 min (under 93 %); respiratory rate 8 /min at +20 min (under 10);
                // 40 mg / 80 kg = 0.5 mg/kg over 40 min: only the readings are at stake
                argumentSet("separate systolic and diastolic Observations count; SpO2 coded 2708-6 and breathing low: warned",
                        new Warning((it, patient) -> {
                            it.weight(patient, 80, START.minus(Duration.ofMinutes(20)));
                            Instant preDose = START.minus(Duration.ofMinutes(10));
                            Observation systolic = VitalSigns.vital(patient, "8480-6", preDose);
                            systolic.setValue(mmHg(120));
                            Observation diastolic = VitalSigns.vital(patient, "8462-4", preDose);
                            diastolic.setValue(mmHg(80));
                            it.create(systolic);
                            it.create(diastolic);
                            Observation spo2 = VitalSigns.vital(patient, "2708-6", START.plus(Duration.ofMinutes(20)));
                            spo2.setValue(new Quantity().setValue(91).setUnit("%").setSystem(DosingSessions.UCUM).setCode("%"));
                            it.create(spo2);
                            Observation breathing = VitalSigns.vital(patient, "9279-1", START.plus(Duration.ofMinutes(20)));
                            breathing.setValue(new Quantity().setValue(8).setUnit("/min").setSystem(DosingSessions.UCUM)
                                    .setCode("/min"));
                            it.create(breathing);
                            return iv(patient, 40);
                        }, List.of("spo2-low", "91 % at 20 min after the start", "respiratory-rate-low", "8 /min"),
                                List.of("bp-pre"))),
                // pre-dose 120/80 at -10 min; 150/95 at +40 min (above 140/90); SpO2 97 % at +40 min; discharge at +130 min;
                // no reading after +40 min: discharged with the blood pressure still elevated
                argumentSet("an esketamine discharge before an elevated blood pressure declined: bp-post-elevated, not declined",
                        new Warning((it, patient) -> {
                            it.bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
                            it.bloodPressure(patient, 150, 95, START.plus(Duration.ofMinutes(40)));
                            Observation spo2 = VitalSigns.vital(patient, "59408-5", START.plus(Duration.ofMinutes(40)));
                            spo2.setValue(new Quantity().setValue(97).setUnit("%").setSystem(DosingSessions.UCUM).setCode("%"));
                            it.create(spo2);
                            return esketamine(patient, 56, START);
                        }, List.of("bp-post-elevated", "bp-post-not-declined",
                                "last reading before discharge 150/95 mmHg at 40 min after the start"), List.of())));
    }

    @ParameterizedTest
    @MethodSource("warningsOnTheSession")
    void aSessionWithAWarningShouldBeStoredWithADetectedIssueNamingTheRule(Warning warning) {
        String patient = patient("1980-01-01");
        MedicationAdministration session = warning.given().session(this, patient);

        HttpResponse<String> stored = postJson("/MedicationAdministration", json(session));

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(issuesOf(parse(MedicationAdministration.class, stored.body()))).singleElement().satisfies(issue -> {
            assertThat(issue.getCode().getCodingFirstRep().getCode()).isEqualTo("dosing-rule-warning");
            assertThat(issue.getPatient().getReference()).isEqualTo(patient);
            assertThat(issue.getDetail()).contains(warning.mentions());
            warning.absent().forEach(absent -> assertThat(issue.getDetail()).doesNotContain(absent));
        });
    }

    static Stream<Arguments> warningsInTheOperationOutcome() {
        return Stream.of(
                argumentSet("a pre-dose blood pressure of 141/85 mmHg (systolic above 140): bp-pre-elevated",
                        new Warning((it, patient) -> {
                            it.weight(patient, 80, START.minus(Duration.ofMinutes(20)));
                            it.bloodPressure(patient, 141, 85, START.minus(Duration.ofMinutes(10)));
                            return iv(patient, 40);
                        }, List.of("bp-pre-elevated", "141/85 mmHg"), List.of())),
                // 40 mg / 80 kg = 0.5 mg/kg, START to START + 2 min: under the 40-min minimum; discharged 60 min after it
                argumentSet("IV 0.5 mg/kg given over 2 minutes: iv-infusion-short",
                        new Warning((it, patient) -> {
                            it.ivReadings(patient);
                            MedicationAdministration fast = session(patient, 40, START, Duration.ofMinutes(2),
                                    Duration.ofMinutes(62));
                            fast.getMedicationCodeableConcept().addCoding().setSystem(RXNORM).setCode("6130");
                            fast.getDosage().getRoute().addCoding().setSystem("http://snomed.info/sct").setCode("47625008");
                            return fast;
                        }, List.of("iv-infusion-short", "2 min (effectivePeriod)", "at least 40 min"), List.of())));
    }

    @ParameterizedTest
    @MethodSource("warningsInTheOperationOutcome")
    void aWarningShouldBeReturnedInTheOperationOutcomeWhenTheClientAsksForOne(Warning warning) {
        String patient = patient("1980-01-01");
        MedicationAdministration session = warning.given().session(this, patient);

        HttpResponse<String> stored = postJson("/MedicationAdministration", json(session), "Prefer", "return=OperationOutcome");

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(parse(OperationOutcome.class, stored.body()).getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING);
            assertThat(issue.getDiagnostics()).contains(warning.mentions());
            warning.absent().forEach(absent -> assertThat(issue.getDiagnostics()).doesNotContain(absent));
        });
    }

    /** A session within every rule: stored, and no DetectedIssue. */
    record Acceptance(String born, Given given) {}

    static Stream<Arguments> acceptances() {
        return Stream.of(
                argumentSet("a first esketamine dose of 56 mg with its readings",
                        new Acceptance("1980-01-01", (it, patient) -> {
                            it.esketamineReadings(patient);
                            return esketamine(patient, 56, START);
                        })),
                // born 1958-07 (a partial date): 68 on 2026-10-05 whatever the day; the US label has no age rule either
                // way; MDD with acute suicidal ideation (ValueSet ketafhir-acute-suicidal-ideation): 84 mg from the first dose
                argumentSet("a first esketamine dose of 84 mg for a patient with acute suicidal ideation",
                        new Acceptance("1958-07", (it, patient) -> {
                            it.esketamineReadings(patient);
                            Condition ideation = new Condition();
                            ideation.setSubject(new Reference(patient));
                            ideation.getClinicalStatus().addCoding()
                                    .setSystem("http://terminology.hl7.org/CodeSystem/condition-clinical").setCode("active");
                            ideation.getCode().addCoding().setSystem("http://hl7.org/fhir/sid/icd-10-cm").setCode("R45.851");
                            it.create(ideation);
                            return esketamine(patient, 84, START);
                        })));
    }

    @ParameterizedTest
    @MethodSource("acceptances")
    void aSessionWithinTheRulesShouldBeStoredWithoutADetectedIssue(Acceptance acceptance) {
        String patient = patient(acceptance.born());
        MedicationAdministration session = acceptance.given().session(this, patient);

        HttpResponse<String> stored = postJson("/MedicationAdministration", json(session));

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(issuesOf(parse(MedicationAdministration.class, stored.body()))).isEmpty();
    }

    // ---- one scenario each

    @Test
    void aRefusalShouldCiteTheRuleAsAConceptOfTheGuidesDosingRuleCodeSystem() {
        String patient = patient("1980-01-01");
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));

        // 80 mg / 80 kg = 1.0 mg/kg: iv-dose-ceiling
        HttpResponse<String> refused = postJson("/MedicationAdministration", json(iv(patient, 80)));
        Coding cited = parse(OperationOutcome.class, refused.body()).getIssueFirstRep().getDetails().getCodingFirstRep();
        // the CodeSystem the server installed from the guide defines that code: an error that can be overridden
        org.hl7.fhir.r4.model.CodeSystem rules = (org.hl7.fhir.r4.model.CodeSystem) client().search()
                .byUrl("CodeSystem?url=" + cited.getSystem()).returnBundle(Bundle.class).execute()
                .getEntryFirstRep().getResource();

        assertThat(cited.getSystem()).isEqualTo("http://ketafhir.org/fhir/CodeSystem/ketafhir-dosing-rule");
        assertThat(cited.getCode()).isEqualTo("iv-dose-ceiling");
        assertThat(rules.getConcept()).filteredOn(c -> c.getCode().equals("iv-dose-ceiling")).singleElement()
                .satisfies(concept -> assertThat(concept.getProperty()).extracting(p -> p.getCode() + "=" + p.getValue().primitiveValue())
                        .contains("severity=error", "overridable=true"));
    }

    @Test
    void aSessionWithAWarningShouldStayDeletableAndTakeItsDetectedIssueWithIt() {
        String patient = patient("1980-01-01");
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
        // 64 mg / 80 kg = 0.8 mg/kg: a warning
        MedicationAdministration session = parse(MedicationAdministration.class,
                postJson("/MedicationAdministration", json(iv(patient, 64))).body());
        assertThat(issuesOf(session)).hasSize(1);

        HttpResponse<String> deleted = http("DELETE", "/MedicationAdministration/" + session.getIdElement().getIdPart(), null);

        assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);
        assertThat(issuesOf(session)).isEmpty();
    }

    @Test
    void anOverrideReasonShouldLetTheCeilingThroughAndStayVisible() {
        String patient = patient("1980-01-01");
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
        MedicationAdministration overridden = iv(patient, 80);
        overridden.addExtension(DosingSessions.OVERRIDE_REASON, new CodeableConcept()
                .addCoding(new Coding(DosingOutcomes.KETAFHIR, "prior-tolerance", "Higher dose previously tolerated")));

        HttpResponse<String> stored = postJson("/MedicationAdministration", json(overridden));

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        MedicationAdministration session = parse(MedicationAdministration.class, stored.body());
        assertThat(session.getExtensionsByUrl(DosingSessions.OVERRIDE_REASON)).hasSize(1);
        assertThat(issuesOf(session)).singleElement().satisfies(issue -> {
            assertThat(issue.getCode().getCodingFirstRep().getCode()).isEqualTo("dosing-rule-overridden");
            assertThat(issue.getDetail()).contains("iv-dose-ceiling").contains("overridden");
            assertThat(issue.getMitigationFirstRep().getAction().getCodingFirstRep().getCode()).isEqualTo("prior-tolerance");
        });
    }

    @Test
    void aSessionNamingKetamineByMedicationReferenceShouldGetTheSameRules() {
        String patient = patient("1980-01-01");
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
        org.hl7.fhir.r4.model.Medication ketamine = new org.hl7.fhir.r4.model.Medication();
        ketamine.getCode().addCoding().setSystem(RXNORM).setCode("6130");
        String stored = create(ketamine);

        // 80 mg / 80 kg = 1.0 mg/kg, at the ceiling: refused whether the drug is a contained or a stored Medication
        MedicationAdministration contained = iv(patient, 80);
        ketamine.setId("ketamine");
        contained.addContained(ketamine);
        contained.setMedication(new Reference("#ketamine"));
        HttpResponse<String> refusedContained = postJson("/MedicationAdministration", json(contained));
        MedicationAdministration byStored = iv(patient, 80);
        byStored.setMedication(new Reference(stored));
        HttpResponse<String> refusedStored = postJson("/MedicationAdministration", json(byStored));
        // 40 mg / 80 kg = 0.5 mg/kg by the stored Medication: stored with its dose per kg, as a coded session is
        MedicationAdministration fine = iv(patient, 40);
        fine.setMedication(new Reference(stored));
        HttpResponse<String> accepted = postJson("/MedicationAdministration", json(fine));

        assertThat(refusedContained.statusCode()).as(refusedContained.body()).isEqualTo(422);
        assertThat(refusedContained.body()).contains("iv-dose-ceiling");
        assertThat(refusedStored.statusCode()).as(refusedStored.body()).isEqualTo(422);
        assertThat(refusedStored.body()).contains("iv-dose-ceiling");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        Quantity perKg = (Quantity) parse(MedicationAdministration.class, accepted.body()).getDosage()
                .getExtensionByUrl(DosingSessions.DOSE_PER_KG).getValue();
        assertThat(perKg.getValue()).isEqualByComparingTo("0.5");
    }

    @Test
    void anEsketamineReinductionShouldBeCheckedAsAFirstDoseAndTwoSessionsOnOneDayRefused() {
        String patient = patient("1980-01-01");
        // a first course 60 days earlier: 60 days without a dose is over the 56-day gap, so today starts a new course
        Instant earlier = START.minus(Duration.ofDays(60));
        bloodPressure(patient, 120, 80, earlier.minus(Duration.ofMinutes(10)));
        assertThat(postJson("/MedicationAdministration", json(esketamine(patient, 56, earlier))).statusCode()).isEqualTo(201);
        esketamineReadings(patient);

        // 84 mg as the first dose of the new course: 56 mg expected at age 46
        HttpResponse<String> first84 = postJson("/MedicationAdministration", json(esketamine(patient, 84, START)));
        HttpResponse<String> first56 = postJson("/MedicationAdministration", json(esketamine(patient, 56, START)));
        // a second session 4 h later on the same day, with its own pre-dose reading: 4 h is under 24 h
        Instant sameDay = START.plus(Duration.ofHours(4));
        bloodPressure(patient, 120, 80, sameDay.minus(Duration.ofMinutes(10)));
        HttpResponse<String> second = postJson("/MedicationAdministration", json(esketamine(patient, 56, sameDay)));

        assertThat(first84.statusCode()).isEqualTo(422);
        assertThat(parse(OperationOutcome.class, first84.body()).getIssue()).anySatisfy(issue -> assertThat(issue.getDiagnostics())
                .contains("esketamine-first-dose").contains("84 mg as the first dose"));
        assertThat(first56.statusCode()).as(first56.body()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(422);
        assertThat(parse(OperationOutcome.class, second.body()).getIssue()).anySatisfy(issue -> assertThat(issue.getDiagnostics())
                .contains("esketamine-min-interval").contains("4 h 0 min from another esketamine session")
                .contains("at least 24 h between sessions"));
        assertThat(sessionsOf(patient)).hasSize(2);
    }

    @Test
    void anImDoseAtTheImCeilingAndAnOralSessionWithoutABloodPressureShouldBeRefused() {
        String patient = patient("1980-01-01");
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
        // 160 mg / 80 kg = 2.0 mg/kg intramuscular: at the IM ceiling; 80 mg / 80 kg = 1.0 mg/kg: not above the warning
        HttpResponse<String> ceiling = postJson("/MedicationAdministration", json(byRoute(patient, 160, START, "78421000")));
        HttpResponse<String> usual = postJson("/MedicationAdministration", json(byRoute(patient, 80, START, "78421000")));
        // an oral session a day later: no reading in the hour before it
        HttpResponse<String> oral = postJson("/MedicationAdministration",
                json(byRoute(patient, 200, START.plus(Duration.ofDays(1)), "26643006")));

        assertThat(ceiling.statusCode()).isEqualTo(422);
        assertThat(parse(OperationOutcome.class, ceiling.body()).getIssue()).anySatisfy(issue -> assertThat(issue.getDiagnostics())
                .contains("im-dose-ceiling").contains("2 mg/kg intramuscular").contains("at or above 2 mg/kg"));
        assertThat(usual.statusCode()).as(usual.body()).isEqualTo(201);
        assertThat(issuesOf(parse(MedicationAdministration.class, usual.body()))).isEmpty();
        assertThat(oral.statusCode()).isEqualTo(422);
        assertThat(oral.body()).contains("bp-pre-missing");
    }

    @Test
    void aTransactionWithAValidAndARefusedSessionShouldStoreNothing() {
        String patient = patient("1980-01-01");
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        // 40 mg / 80 kg = 0.5 mg/kg is fine; 80 mg / 80 kg = 1.0 mg/kg is refused
        for (MedicationAdministration session : List.of(iv(patient, 40), iv(patient, 80))) {
            transaction.addEntry().setResource(session).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        }

        HttpResponse<String> refused = postJson("", json(transaction));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("iv-dose-ceiling");
        assertThat(sessionsOf(patient)).isEmpty();
    }

    @Test
    void readingsSentInTheSameTransactionShouldCount() {
        String patient = patient("1980-01-01");
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        // the session first: HAPI checks it when the whole Bundle is written
        transaction.addEntry().setResource(iv(patient, 40)).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        for (Observation reading : List.of(weightObservation(patient, 80, START.minus(Duration.ofMinutes(20))),
                bloodPressureObservation(patient, 120, 80, START.minus(Duration.ofMinutes(10))))) {
            transaction.addEntry().setResource(reading).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        }

        HttpResponse<String> stored = postJson("", json(transaction));

        // without the Bundle's weight and blood pressure the session would be refused (weight-missing,
        // bp-pre-missing); 40 mg / 80 kg = 0.5 mg/kg is under the 0.75 warning level, so no DetectedIssue either
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(sessionsOf(patient)).hasSize(1);
        String sessionId = sessionsOf(patient).get(0).getIdElement().getIdPart();
        assertThat(getRaw("/DetectedIssue/dosing-" + sessionId).statusCode()).isEqualTo(404);
    }

    @Test
    void eachSessionOfATransactionShouldBeCheckedAgainstItsOwnReadings() {
        String patient = patient("1980-01-01");
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        Instant weekLater = START.plus(Duration.ofDays(7));
        MedicationAdministration first = iv(patient, 40);
        MedicationAdministration second = iv(patient, 40);
        second.setEffective(new Period().setStart(Date.from(weekLater))
                .setEnd(Date.from(weekLater.plus(Duration.ofMinutes(40)))));
        second.getExtensionByUrl(DosingSessions.OBSERVATION_END)
                .setValue(new DateTimeType(Date.from(weekLater.plus(Duration.ofMinutes(100)))));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (MedicationAdministration session : List.of(first, second)) {
            transaction.addEntry().setResource(session).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        }
        // 120/80 before the first session; 150/95 (above 140/90, under the 180/110 pause) before the second
        for (Observation reading : List.of(bloodPressureObservation(patient, 120, 80, START.minus(Duration.ofMinutes(10))),
                bloodPressureObservation(patient, 150, 95, weekLater.minus(Duration.ofMinutes(10))))) {
            transaction.addEntry().setResource(reading).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        }

        HttpResponse<String> stored = postJson("", json(transaction));

        // each pre-dose window is the 60 minutes before its own start: the first session sees only 120/80, the
        // second only 150/95; both weigh 40 mg against the 80 kg of a week before (0.5 mg/kg, no dose warning)
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        List<MedicationAdministration> sessions = sessionsOf(patient);
        assertThat(sessions).hasSize(2);
        MedicationAdministration early = sessions.stream()
                .filter(s -> s.getEffectivePeriod().getStart().toInstant().equals(START)).findFirst().orElseThrow();
        MedicationAdministration late = sessions.stream()
                .filter(s -> s.getEffectivePeriod().getStart().toInstant().equals(weekLater)).findFirst().orElseThrow();
        assertThat(issuesOf(early)).isEmpty();
        assertThat(issuesOf(late)).singleElement().satisfies(issue ->
                assertThat(issue.getDetail()).contains("bp-pre-elevated").doesNotContain("iv-dose"));
    }

    @Test
    void aContraindicationSentInTheSameTransactionShouldRefuseEachSessionOfThePatient() {
        String patient = patient("1980-01-01");
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        // two sessions the rules would let through (40 mg / 80 kg = 0.5 mg/kg), then the haemorrhage: the rules read
        // the patient's records once for both sessions, after every entry is stored, so both see it
        for (MedicationAdministration session : List.of(iv(patient, 40), iv(patient, 40))) {
            transaction.addEntry().setResource(session).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        }
        Condition haemorrhage = new Condition();
        haemorrhage.setSubject(new Reference(patient));
        haemorrhage.getCode().addCoding().setSystem("http://hl7.org/fhir/sid/icd-10-cm").setCode("I61.9");
        transaction.addEntry().setResource(haemorrhage).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Condition");

        HttpResponse<String> refused = postJson("", json(transaction));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("contraindication-intracerebral-haemorrhage");
        assertThat(sessionsOf(patient)).isEmpty();
    }

    @Test
    void theRemsRecordShouldBeFilledFromTheStoredSessionReadingsAndAdverseEvents() {
        String patient = patient("1980-01-01");
        esketamineReadings(patient);
        MedicationAdministration spravato = esketamine(patient, 56, START);
        spravato.getDosage().addExtension(RemsRecordProvider.DEVICE_COUNT, new org.hl7.fhir.r4.model.PositiveIntType(2));
        String session = create(spravato);
        org.hl7.fhir.r4.model.AdverseEvent dissociation = new org.hl7.fhir.r4.model.AdverseEvent();
        dissociation.setActuality(org.hl7.fhir.r4.model.AdverseEvent.AdverseEventActuality.ACTUAL);
        dissociation.setSubject(new Reference(patient));
        dissociation.getEvent().addCoding().setSystem(DosingOutcomes.KETAFHIR).setCode("dissociation");
        dissociation.addSuspectEntity().setInstance(new Reference(session));
        create(dissociation);

        HttpResponse<String> response = getRaw("/" + session + "/$rems-record");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        org.hl7.fhir.r4.model.QuestionnaireResponse form =
                parse(org.hl7.fhir.r4.model.QuestionnaireResponse.class, response.body());
        assertThat(form.getQuestionnaire()).isEqualTo(RemsRecord.QUESTIONNAIRE);
        java.util.Map<String, String> answers = new java.util.HashMap<>();
        collect(form.getItem(), answers);
        // 56 mg in two 28 mg devices; 120/80 before, 130/85 at +40 min; discharged 130 - 6 = 124 min after dosing
        assertThat(answers).containsEntry("session-date", "2026-10-05").containsEntry("dose-mg", "56")
                .containsEntry("devices", "2")
                .containsEntry("bp-pre-dose-systolic", "120").containsEntry("bp-pre-dose-diastolic", "80")
                .containsEntry("bp-post-dose-systolic", "130").containsEntry("bp-post-dose-diastolic", "85")
                .containsEntry("dissociation", "true").containsEntry("sedation", "false")
                .containsEntry("blood-pressure-increase", "false").containsEntry("monitored-2-hours", "true")
                .containsEntry("serious-adverse-event", "false");
    }

    @Test
    void theRemsRecordShouldCountALifeThreateningAdverseEventAsSerious() {
        String patient = patient("1980-01-01");
        esketamineReadings(patient);
        String session = create(esketamine(patient, 56, START));
        // R4 seriousness SeriousIsLifeThreatening (not the general code Serious): serious for the REMS form
        org.hl7.fhir.r4.model.AdverseEvent event = new org.hl7.fhir.r4.model.AdverseEvent();
        event.setActuality(org.hl7.fhir.r4.model.AdverseEvent.AdverseEventActuality.ACTUAL);
        event.setSubject(new Reference(patient));
        event.getEvent().addCoding().setSystem(DosingOutcomes.KETAFHIR).setCode("respiratory-depression");
        event.getSeriousness().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/adverse-event-seriousness")
                .setCode("SeriousIsLifeThreatening");
        event.addSuspectEntity().setInstance(new Reference(session));
        create(event);

        HttpResponse<String> response = getRaw("/" + session + "/$rems-record");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        java.util.Map<String, String> answers = new java.util.HashMap<>();
        collect(parse(org.hl7.fhir.r4.model.QuestionnaireResponse.class, response.body()).getItem(), answers);
        assertThat(answers).containsEntry("serious-adverse-event", "true").containsEntry("respiratory-depression", "true");
    }

    @Test
    void theRemsRecordOfAnIvSessionShouldBeRefused() {
        String patient = patient("1980-01-01");
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
        String session = create(iv(patient, 40));

        assertThat(getRaw("/" + session + "/$rems-record").statusCode()).isEqualTo(422);
    }

    private static void collect(List<org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent> items,
            java.util.Map<String, String> into) {
        for (var item : items) {
            if (item.hasAnswer()) {
                into.put(item.getLinkId(), item.getAnswerFirstRep().getValue().primitiveValue());
            }
            collect(item.getItem(), into);
        }
    }

    // ---- records

    private String patient(String birthDate) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:ketafhir:test").setValue(unique("dosing"));
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
        return create(patient);
    }

    private String weight(String patient, int kg, Instant at) {
        return create(weightObservation(patient, kg, at));
    }

    private void bloodPressure(String patient, int systolic, int diastolic, Instant at) {
        create(bloodPressureObservation(patient, systolic, diastolic, at));
    }

    /** 80 kg at -20 min, pre-dose 120/80 at -10 min: an IV session's readings, with nothing at stake. */
    private void ivReadings(String patient) {
        weight(patient, 80, START.minus(Duration.ofMinutes(20)));
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
    }

    /** A first esketamine dose of 56 mg at {@code at}, with its own pre-dose 120/80, stored. */
    private void earlierEsketamineDose(String patient, Instant at) {
        bloodPressure(patient, 120, 80, at.minus(Duration.ofMinutes(10)));
        HttpResponse<String> stored = postJson("/MedicationAdministration", json(esketamine(patient, 56, at)));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
    }

    /** Pre-dose 120/80 at -10 min, 130/85 at +40 min, SpO2 97 % at +40 min. */
    private void esketamineReadings(String patient) {
        bloodPressure(patient, 120, 80, START.minus(Duration.ofMinutes(10)));
        bloodPressure(patient, 130, 85, START.plus(Duration.ofMinutes(40)));
        Observation spo2 = VitalSigns.vital(patient, "59408-5", START.plus(Duration.ofMinutes(40)));
        spo2.setValue(new Quantity().setValue(97).setUnit("%").setSystem(DosingSessions.UCUM).setCode("%"));
        create(spo2);
    }

    private static Observation weightObservation(String patient, int kg, Instant at) {
        Observation weight = VitalSigns.vital(patient, "29463-7", at);
        weight.setValue(new Quantity().setValue(kg).setUnit("kg").setSystem(DosingSessions.UCUM).setCode("kg"));
        return weight;
    }

    private static Observation bloodPressureObservation(String patient, int systolic, int diastolic, Instant at) {
        Observation bp = VitalSigns.vital(patient, "85354-9", at);
        bp.addComponent().setValue(mmHg(systolic)).getCode().addCoding().setSystem("http://loinc.org").setCode("8480-6");
        bp.addComponent().setValue(mmHg(diastolic)).getCode().addCoding().setSystem("http://loinc.org").setCode("8462-4");
        return bp;
    }

    private static Quantity mmHg(int value) {
        return new Quantity().setValue(value).setUnit("mmHg").setSystem(DosingSessions.UCUM).setCode("mm[Hg]");
    }

    /** IV ketamine at START over 40 min, discharged 60 min after the infusion. */
    private static MedicationAdministration iv(String patient, int mg) {
        MedicationAdministration session = session(patient, mg, START, Duration.ofMinutes(40), Duration.ofMinutes(100));
        session.getMedicationCodeableConcept().addCoding().setSystem(RXNORM).setCode("6130");
        session.getDosage().getRoute().addCoding().setSystem("http://snomed.info/sct").setCode("47625008");
        return session;
    }

    /** Racemic ketamine by a SNOMED CT route at the start, over 1 min, discharged 60 min after dosing. */
    private static MedicationAdministration byRoute(String patient, int mg, Instant start, String route) {
        MedicationAdministration session = session(patient, mg, start, Duration.ofMinutes(1), Duration.ofMinutes(61));
        session.getMedicationCodeableConcept().addCoding().setSystem(RXNORM).setCode("6130");
        session.getDosage().getRoute().addCoding().setSystem("http://snomed.info/sct").setCode(route);
        return session;
    }

    /** Spravato at the start over 6 min, discharged 124 min after dosing. */
    private static MedicationAdministration esketamine(String patient, int mg, Instant start) {
        MedicationAdministration session = session(patient, mg, start, Duration.ofMinutes(6), Duration.ofMinutes(130));
        session.getMedicationCodeableConcept().addCoding().setSystem(RXNORM).setCode("2201625");
        session.getDosage().getRoute().addCoding().setSystem("http://snomed.info/sct").setCode("46713006");
        return session;
    }

    private static MedicationAdministration session(String patient, int mg, Instant start, Duration dosing, Duration discharge) {
        MedicationAdministration session = new MedicationAdministration();
        session.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        session.setSubject(new Reference(patient));
        session.setEffective(new Period().setStart(Date.from(start)).setEnd(Date.from(start.plus(dosing))));
        session.addExtension(DosingSessions.OBSERVATION_END, new DateTimeType(Date.from(start.plus(discharge))));
        session.getDosage().setDose(new Quantity().setValue(new BigDecimal(mg)).setUnit("mg")
                .setSystem(DosingSessions.UCUM).setCode("mg"));
        return session;
    }

    private String create(Resource resource) {
        return client().create().resource(resource).execute().getId().toUnqualifiedVersionless().getValue();
    }

    private List<MedicationAdministration> sessionsOf(String patient) {
        return client().search().byUrl("MedicationAdministration?subject=" + patient).returnBundle(Bundle.class)
                .execute().getEntry().stream().map(e -> (MedicationAdministration) e.getResource()).toList();
    }

    private List<DetectedIssue> issuesOf(MedicationAdministration session) {
        return client().search().byUrl("DetectedIssue?implicated=MedicationAdministration/" + session.getIdElement().getIdPart())
                .returnBundle(Bundle.class).execute().getEntry().stream().map(e -> (DetectedIssue) e.getResource()).toList();
    }
}
