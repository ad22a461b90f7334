package org.ketafhir.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;
import org.ketafhir.scoring.OutcomeResponses;
import org.ketafhir.testing.FhirServerTestBase;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code $outcome-summary} operations end to end, on data stored through the FHIR API as other systems send it
 * (plain R4 score Observations, ketamine sessions without a profile) and as this server derives it (scored PHQ-9
 * responses). The expected figures are those of {@link Cases}, worked out there and in PatientOutcomeProcessorTest.
 */
class OutcomeSummaryIT extends FhirServerTestBase {

    private static final Instant DAY_0 = Instant.parse("2026-01-05T09:00:00Z");
    private static final int[] INDUCTION = {0, 3, 7, 10, 14, 17};

    @Autowired
    private OutcomeIndexBuilder indexBuilder;

    @Test
    void shouldSummariseAResponderWhoRemitsAtSession4() {
        String patient = responder(null);
        Parameters summary = summary("/Patient/" + patient + "/$outcome-summary");
        Map<String, Type> phq9 = parts(instrument(summary, "phq-9"));
        assertThat(integer(phq9, "baseline")).isEqualTo(20);
        assertThat(integer(phq9, "latest")).isEqualTo(4);
        assertThat(integer(phq9, "absoluteChange")).isEqualTo(16);
        assertThat(phq9.get("percentChange").primitiveValue()).isEqualTo("80.0");
        assertThat(bool(phq9, "response")).isTrue();
        assertThat(bool(phq9, "remission")).isTrue();
        assertThat(bool(phq9, "worsening")).isFalse();
        assertThat(integer(phq9, "daysToFirstResponse")).isEqualTo(8);
        assertThat(integer(phq9, "sessionsToFirstResponse")).isEqualTo(3);
        assertThat(integer(phq9, "daysToFirstRemission")).isEqualTo(11);
        assertThat(integer(phq9, "sessionsToFirstRemission")).isEqualTo(4);
        assertThat(bool(phq9, "responseHeldWeek4")).isTrue();
        assertThat(bool(phq9, "responseHeldWeek8")).isTrue();
        assertThat(bool(phq9, "responseHeldWeek12")).isTrue();
        assertThat(bool(phq9, "lossOfResponse")).isFalse();
        assertThat(((Coding) phq9.get("baselineBand")).getCode()).isEqualTo("phq-9-severe");
        assertThat(((Coding) phq9.get("latestBand")).getCode()).isEqualTo("phq-9-minimal");
        Map<String, Type> exposure = parts(summary.getParameter("exposure"));
        // Six IM sessions of 50 mg: 300 mg.
        assertThat(integer(exposure, "sessions")).isEqualTo(6);
        assertThat(((org.hl7.fhir.r4.model.Quantity) exposure.get("cumulativeDose")).getValue()).isEqualByComparingTo("300");
        assertThat(bool(exposure, "inductionCompleted")).isTrue();
        assertThat(((IntegerType) summary.getParameter("psychotherapySessions").getValue()).getValue()).isEqualTo(2);
    }

    @Test
    void shouldSummariseANonResponderAndAPatientLosingResponse() {
        Map<String, Type> non = parts(instrument(summary("/Patient/" + nonResponder() + "/$outcome-summary"), "phq-9"));
        assertThat(integer(non, "absoluteChange")).isEqualTo(4);
        assertThat(non.get("percentChange").primitiveValue()).isEqualTo("22.2");
        assertThat(bool(non, "response")).isFalse();
        assertThat(non).doesNotContainKey("lossOfResponse");

        String losing = patientWithScores(new int[][] {{-1, 20}, {4, 14}, {8, 10}, {15, 8}, {22, 12}, {29, 14}});
        Map<String, Type> lost = parts(instrument(summary("/Patient/" + losing + "/$outcome-summary"), "phq-9"));
        assertThat(bool(lost, "lossOfResponse")).isTrue();
        assertThat(((DateTimeType) lost.get("lossOfResponseDate")).getValue().toInstant()).isEqualTo(scoreDay(29));
        assertThat(bool(lost, "response")).isFalse();
    }

    @Test
    void shouldLeaveOutWhatABaselineOfZeroOrNoBaselineCannotTell() {
        Map<String, Type> zero = parts(instrument(summary("/Patient/" + patientWithScores(new int[][] {{-1, 0}, {7, 5}})
                + "/$outcome-summary"), "phq-9"));
        assertThat(zero).doesNotContainKeys("percentChange", "response", "responseThreshold");
        assertThat(bool(zero, "worsening")).isTrue();
        Map<String, Type> none = parts(instrument(summary("/Patient/" + patientWithScores(new int[][] {{-20, 19}, {7, 8}})
                + "/$outcome-summary"), "phq-9"));
        assertThat(bool(none, "evaluable")).isFalse();
        assertThat(none).doesNotContainKeys("baseline", "absoluteChange", "response", "remission");
        assertThat(integer(none, "latest")).isEqualTo(8);
    }

    @Test
    void shouldScoreResponsesAndFollowSuicidalIdeation() {
        String patient = createPatient();
        sessions(patient, null);
        // PHQ-9 answers summed by the server: 3+3+2+2+2+2+2+2+2 = 20 with item 9 = 2; later 1+1+0+0+0+0+0+0+0 = 2, item 9 = 0.
        client().create().resource(OutcomeResponses.phq9("Patient/" + patient, "2026-01-03T14:00:00Z", 3, 3, 2, 2, 2, 2, 2, 2, 2)).execute();
        client().create().resource(OutcomeResponses.phq9("Patient/" + patient, "2026-01-23T14:00:00Z", 1, 1, 0, 0, 0, 0, 0, 0, 0)).execute();
        Parameters summary = summary("/Patient/" + patient + "/$outcome-summary");
        Map<String, Type> phq9 = parts(instrument(summary, "phq-9"));
        assertThat(integer(phq9, "baseline")).isEqualTo(20);
        assertThat(integer(phq9, "latest")).isEqualTo(2);
        assertThat(bool(phq9, "remission")).isTrue();
        Map<String, Type> si = parts(summary.getParameter("suicidalIdeation"));
        assertThat(bool(si, "baselinePositive")).isTrue();
        assertThat(bool(si, "latestPositive")).isFalse();
        assertThat(bool(si, "resolved")).isTrue();
    }

    @Test
    void shouldSummariseOneTreatmentCourse() {
        String patient = createPatient();
        CarePlan plan = new CarePlan();
        plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.setSubject(new Reference("Patient/" + patient));
        plan.getPeriod().setStartElement(new DateTimeType("2026-01-05"));
        String course = client().create().resource(plan).execute().getId().getIdPart();
        sessions(patient, course);
        scores(patient, new int[][] {{-2, 20}, {8, 9}});
        Parameters summary = summary("/CarePlan/" + course + "/$outcome-summary");
        assertThat(((Reference) summary.getParameter("course").getValue()).getReference()).isEqualTo("CarePlan/" + course);
        assertThat(integer(parts(instrument(summary, "phq-9")), "absoluteChange")).isEqualTo(11);
    }

    @Test
    void shouldReturnADocumentForExchange() {
        String patient = responder(null);
        HttpResponse<String> response = getRaw("/Patient/" + patient + "/$outcome-summary?output=document");
        assertThat(response.statusCode()).isEqualTo(200);
        Bundle document = parse(Bundle.class, response.body());
        assertThat(document.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
        Composition composition = (Composition) document.getEntryFirstRep().getResource();
        assertThat(composition.getSection()).extracting(s -> s.getCode().getCodingFirstRep().getCode())
                .containsExactly("treatment-course", "dosing-exposure", "outcomes", "safety");
        assertThat(composition.getSection().get(2).getSection().get(0).getText().getDivAsString()).contains("80.0 %");
        List<String> types = document.getEntry().stream().map(e -> e.getResource().fhirType()).toList();
        assertThat(types).contains("Patient", "Device", "MedicationAdministration", "Observation");
        // Every fullUrl is absolute (R4): a stored resource by its URL on this server, a generated one by urn:uuid. The
        // test locked the relative fullUrl (Patient/x) before; the sections cite by the same absolute URLs.
        List<String> inBundle = document.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).toList();
        assertThat(inBundle).allSatisfy(url -> assertThat(url).matches("(" + java.util.regex.Pattern.quote(baseUrl()) + "/|urn:uuid:).+"));
        assertThat(inBundle).contains(baseUrl() + "/Patient/" + patient).doesNotHaveDuplicates();
        assertThat(inBundle.get(0)).startsWith("urn:uuid:");
        composition.getSection().forEach(s -> s.getEntry().forEach(r -> assertThat(inBundle).contains(r.getReference())));
    }

    @Test
    void shouldSummariseACohortOfGroupMembers() {
        String responder = responder(null);
        String nonResponder = nonResponder();
        Group group = new Group();
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.addMember().setEntity(new Reference("Patient/" + responder));
        group.addMember().setEntity(new Reference("Patient/" + nonResponder));
        String groupId = client().create().resource(group).execute().getId().getIdPart();

        MeasureReport report = parse(MeasureReport.class, getRaw("/Group/" + groupId + "/$outcome-summary").body());
        assertThat(report.getMeasure()).isEqualTo("http://ketafhir.org/fhir/Measure/outcome-summary-cohort");
        MeasureReport.MeasureReportGroupComponent response = group(report, "response-latest");
        // Responder (20 -> 4) responds, non-responder (18 -> 14) does not: 1 of 2.
        assertThat(populations(response)).containsExactly(Map.entry("initial-population", 2), Map.entry("denominator", 2),
                Map.entry("numerator", 1));
        assertThat(response.getMeasureScore().getValue()).isEqualByComparingTo("0.5");
        // Only the responder had psychotherapy.
        MeasureReport withTherapy = parse(MeasureReport.class,
                getRaw("/Group/" + groupId + "/$outcome-summary?psychotherapy=true").body());
        assertThat(populations(group(withTherapy, "response-latest")).get("initial-population")).isEqualTo(1);
    }

    @Test
    void shouldKeepTheIndexInStepWithUpdatesDeletesAndRefusedTransactions() {
        String patient = patientWithScores(new int[][] {{-1, 20}, {8, 12}});
        Observation latest = client().search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + patient)).and(Observation.DATE.exactly().second(Date(scoreDay(8))))
                .returnBundle(Bundle.class).execute().getEntry().stream().map(e -> (Observation) e.getResource()).findFirst().orElseThrow();
        assertThat(integer(parts(instrument(summary("/Patient/" + patient + "/$outcome-summary"), "phq-9")), "latest")).isEqualTo(12);

        latest.setValue(new IntegerType(6));
        client().update().resource(latest).execute();
        assertThat(integer(parts(instrument(summary("/Patient/" + patient + "/$outcome-summary"), "phq-9")), "latest")).isEqualTo(6);

        // A transaction with a new score and a session the guide refuses (dose in grams) stores nothing, index included.
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(score(patient, 15, 2)).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        MedicationAdministration bad = session(patient, 16, null);
        bad.getDosage().getDose().setUnit("g").setCode("g");
        transaction.addEntry().setResource(bad).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        assertThat(postJson("", json(transaction)).statusCode()).isBetween(400, 499);
        Map<String, Type> unchanged = parts(instrument(summary("/Patient/" + patient + "/$outcome-summary"), "phq-9"));
        assertThat(integer(unchanged, "latest")).isEqualTo(6);
        assertThat(integer(unchanged, "assessments")).isEqualTo(2);

        client().delete().resourceById(latest.getIdElement().toUnqualifiedVersionless()).execute();
        Map<String, Type> afterDelete = parts(instrument(summary("/Patient/" + patient + "/$outcome-summary"), "phq-9"));
        assertThat(integer(afterDelete, "assessments")).isEqualTo(1);
        assertThat(bool(afterDelete, "evaluable")).isFalse();
    }

    @Test
    void shouldRebuildTheSameIndexFromTheStoredResources() {
        String patient = responder(null);
        String before = getRaw("/Patient/" + patient + "/$outcome-summary?series=true").body();
        indexBuilder.rebuild();
        String after = getRaw("/Patient/" + patient + "/$outcome-summary?series=true").body();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void shouldAnswerBadParametersWith400AndAnOperationOutcome() {
        String patient = createPatient();
        for (String query : List.of("?instrument=hamd", "?start=2026-03-01&end=2026-02-01", "?output=pdf")) {
            HttpResponse<String> response = getRaw("/Patient/" + patient + "/$outcome-summary" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            OperationOutcome outcome = parse(OperationOutcome.class, response.body());
            assertThat(outcome.getIssueFirstRep().getDiagnostics()).as(query).containsAnyOf("instrument", "start", "output");
        }
        HttpResponse<String> badToken = getRaw("/$outcome-summary?condition=36474008");
        assertThat(badToken.statusCode()).isEqualTo(400);
        assertThat(badToken.body()).contains("system|code");
        assertThat(getRaw("/Patient/no-such-patient-" + unique("x") + "/$outcome-summary").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAcceptPostAndListTheOperations() {
        String patient = responder(null);
        Parameters in = new Parameters();
        in.addParameter().setName("instrument").setValue(new org.hl7.fhir.r4.model.StringType("phq-9"));
        HttpResponse<String> response = postJson("/Patient/" + patient + "/$outcome-summary", json(in));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(parts(instrument(parse(Parameters.class, response.body()), "phq-9"))).containsKey("baseline");

        CapabilityStatement capabilities = client().capabilities().ofType(CapabilityStatement.class).execute();
        Map<String, List<String>> operations = capabilities.getRestFirstRep().getResource().stream().collect(Collectors.toMap(
                r -> r.getType(), r -> r.getOperation().stream().map(o -> o.getName()).toList()));
        assertThat(operations.get("Patient")).contains("outcome-summary");
        assertThat(operations.get("CarePlan")).contains("outcome-summary");
        assertThat(operations.get("Group")).contains("outcome-summary");
        assertThat(capabilities.getRestFirstRep().getOperation()).extracting(o -> o.getName()).contains("outcome-summary");
    }

    @Test
    void shouldNotCountABaselineAlreadyBelowTheRemissionDenominator() {
        // Baseline 9 (not above 9, CMS159), then 3: a 67 % fall is a response, but remission is not evaluable.
        Map<String, Type> nine = parts(instrument(summary("/Patient/" + patientWithScores(new int[][] {{-1, 9}, {4, 3}})
                + "/$outcome-summary"), "phq-9"));
        assertThat(bool(nine, "remissionEvaluable")).isFalse();
        assertThat(nine).doesNotContainKeys("remission", "daysToFirstRemission", "sessionsToFirstRemission");
        assertThat(bool(nine, "response")).isTrue();
        assertThat(integer(nine, "remissionBaselineMin")).isEqualTo(10);
        // Baseline 10 (at the denominator), then 3 on day 4 (after the sessions of days 0 and 3): remission, day 4, 2 sessions.
        Map<String, Type> ten = parts(instrument(summary("/Patient/" + patientWithScores(new int[][] {{-1, 10}, {4, 3}})
                + "/$outcome-summary"), "phq-9"));
        assertThat(bool(ten, "remissionEvaluable")).isTrue();
        assertThat(bool(ten, "remission")).isTrue();
        assertThat(integer(ten, "daysToFirstRemission")).isEqualTo(4);
        assertThat(integer(ten, "sessionsToFirstRemission")).isEqualTo(2);
    }

    @Test
    void shouldGiveNoEndOfInductionToANonCompleter() {
        // Five sessions (days 0-14) of the six needed within 28 days; baseline 20, then 8 on day 15 and 6 on day 42.
        String five = createPatient();
        sessions(five, null, new int[] {0, 3, 7, 10, 14});
        scores(five, new int[][] {{-1, 20}, {15, 8}, {42, 6}});
        Map<String, Type> exposure = parts(summary("/Patient/" + five + "/$outcome-summary").getParameter("exposure"));
        assertThat(bool(exposure, "inductionCompleted")).isFalse();
        assertThat(exposure).doesNotContainKey("endOfInduction");
        Map<String, Type> phq9 = parts(instrument(summary("/Patient/" + five + "/$outcome-summary"), "phq-9"));
        assertThat(phq9).doesNotContainKeys("responseHeldWeek4", "responseHeldWeek8", "responseHeldWeek12");
        // The responder completed induction: its end is the sixth session, day 17 at 09:00.
        String responder = responder(null);
        Map<String, Type> completed = parts(summary("/Patient/" + responder + "/$outcome-summary").getParameter("exposure"));
        assertThat(((DateTimeType) completed.get("endOfInduction")).getValue().toInstant()).isEqualTo(DAY_0.plus(Duration.ofDays(17)));

        Group group = new Group();
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.addMember().setEntity(new Reference("Patient/" + five));
        group.addMember().setEntity(new Reference("Patient/" + responder));
        String groupId = client().create().resource(group).execute().getId().getIdPart();
        MeasureReport report = parse(MeasureReport.class, getRaw("/Group/" + groupId + "/$outcome-summary").body());
        // End of induction: only the responder (day 18: 3 of baseline 20, a response) is in the denominator.
        assertThat(populations(group(report, "response-end-of-induction"))).containsExactly(Map.entry("initial-population", 2),
                Map.entry("denominator", 1), Map.entry("numerator", 1));
        // One of the two treated did not complete induction.
        assertThat(populations(group(report, "induction-not-completed"))).containsExactly(Map.entry("initial-population", 2),
                Map.entry("denominator", 2), Map.entry("numerator", 1));
    }

    @Test
    void shouldCountBloodPressuresWithoutPartOfByTheDosingWindows() {
        // Readings sent with no partOf: 08:30 (30 min before the first session, pre-dose) 120/80 and 09:40 158/96;
        // 07:59 (61 min before) 200/120 lies outside the 60-minute pre-dose window and is no session's reading.
        String patient = patientWithScores(new int[][] {{-1, 20}, {4, 12}});
        for (Object[] reading : new Object[][] {{-61, 200, 120}, {-30, 120, 80}, {40, 158, 96}}) {
            client().create().resource(bloodPressure(patient, DAY_0.plus(Duration.ofMinutes((Integer) reading[0])),
                    (Integer) reading[1], (Integer) reading[2])).execute();
        }
        Map<String, Type> safety = parts(summary("/Patient/" + patient + "/$outcome-summary").getParameter("safety"));
        // Peak 158/96; rise 158 - 120 = 38 (partOf-only counting found none).
        assertThat(((org.hl7.fhir.r4.model.Quantity) safety.get("peakSystolic")).getValue()).isEqualByComparingTo("158");
        assertThat(((org.hl7.fhir.r4.model.Quantity) safety.get("peakDiastolic")).getValue()).isEqualByComparingTo("96");
        assertThat(((org.hl7.fhir.r4.model.Quantity) safety.get("peakSystolicRise")).getValue()).isEqualByComparingTo("38");
    }

    @Test
    void shouldReportRapidResponseWithinHoursOfTheFirstSession() {
        // Baseline 20 (day -1); 9 at 20 h after the first session (day 0 09:00): in the (4 h, 24 h] window, 11 >= 10: response.
        String patient = createPatient();
        sessions(patient, null);
        scores(patient, new int[][] {{-1, 20}, {8, 9}});
        client().create().resource(scoreAt(patient, DAY_0.plus(Duration.ofHours(20)), 9)).execute();
        ParametersParameterComponent phq9 = instrument(summary("/Patient/" + patient + "/$outcome-summary"), "phq-9");
        List<Map<String, Type>> rapid = phq9.getPart().stream().filter(p -> p.getName().equals("rapidResponse"))
                .map(OutcomeSummaryIT::parts).toList();
        // Two first sessions x windows 4 and 24 h.
        assertThat(rapid).hasSize(4);
        Map<String, Type> first24 = rapid.stream()
                .filter(r -> integer(r, "session") == 1 && integer(r, "windowHours") == 24).findFirst().orElseThrow();
        assertThat(integer(first24, "value")).isEqualTo(9);
        assertThat(bool(first24, "response")).isTrue();
        assertThat(bool(first24, "remission")).as("9 > 4").isFalse();
        Map<String, Type> first4 = rapid.stream()
                .filter(r -> integer(r, "session") == 1 && integer(r, "windowHours") == 4).findFirst().orElseThrow();
        assertThat(first4).doesNotContainKeys("value", "response");

        // The cohort rate at 24 h: this patient responds; the non-responder has no score within 24 h: 1/1 of 2.
        Group group = new Group();
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.addMember().setEntity(new Reference("Patient/" + patient));
        group.addMember().setEntity(new Reference("Patient/" + nonResponder()));
        String groupId = client().create().resource(group).execute().getId().getIdPart();
        MeasureReport report = parse(MeasureReport.class, getRaw("/Group/" + groupId + "/$outcome-summary").body());
        assertThat(populations(group(report, "response-24-hours"))).containsExactly(Map.entry("initial-population", 2),
                Map.entry("denominator", 1), Map.entry("numerator", 1));
    }

    // ---------------------------------------------------------------------------------------------

    private String responder(String course) {
        String patient = patientWithScores(new int[][] {{-2, 20}, {1, 16}, {4, 12}, {8, 9}, {11, 4}, {18, 3}, {45, 5}, {73, 6}, {101, 4}});
        for (int day : new int[] {1, 8}) {
            Procedure therapy = new Procedure();
            therapy.setStatus(Procedure.ProcedureStatus.COMPLETED);
            therapy.setSubject(new Reference("Patient/" + patient));
            therapy.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "75516001", "Psychotherapy")));
            therapy.setPerformed(new DateTimeType(java.util.Date.from(DAY_0.plus(Duration.ofDays(day)).plus(Duration.ofHours(6)))));
            client().create().resource(therapy).execute();
        }
        return patient;
    }

    private String nonResponder() {
        return patientWithScores(new int[][] {{-1, 18}, {4, 16}, {11, 15}, {18, 14}});
    }

    private String patientWithScores(int[][] scores) {
        String patient = createPatient();
        sessions(patient, null);
        scores(patient, scores);
        return patient;
    }

    private String createPatient() {
        Patient patient = new Patient();
        patient.addName().setFamily(unique("Outcome"));
        return client().create().resource(patient).execute().getId().getIdPart();
    }

    private void sessions(String patient, String course) {
        sessions(patient, course, INDUCTION);
    }

    private void sessions(String patient, String course, int[] days) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int day : days) {
            transaction.addEntry().setResource(session(patient, day, course)).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
            // the dosing rules ask every route for a pre-dose blood pressure (10 min before 09:00)
            transaction.addEntry().setResource(preDoseBloodPressure(patient, day)).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        }
        client().transaction().withBundle(transaction).execute();
    }

    private void scores(String patient, int[][] scores) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int[] score : scores) {
            transaction.addEntry().setResource(score(patient, score[0], score[1])).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        }
        client().transaction().withBundle(transaction).execute();
    }

    private static Observation preDoseBloodPressure(String patient, int day) {
        Observation bp = org.ketafhir.testing.VitalSigns.vital("Patient/" + patient, "85354-9",
                DAY_0.plus(Duration.ofDays(day)).minus(Duration.ofMinutes(10)));
        for (String[] part : new String[][] {{"8480-6", "120"}, {"8462-4", "80"}}) {
            bp.addComponent().setValue(new org.hl7.fhir.r4.model.Quantity().setValue(Integer.parseInt(part[1])).setUnit("mmHg")
                    .setSystem("http://unitsofmeasure.org").setCode("mm[Hg]")).getCode().addCoding()
                    .setSystem("http://loinc.org").setCode(part[0]);
        }
        return bp;
    }

    /** An IM ketamine session of 50 mg at 09:00 on the given day, as a referring clinic's system would send it. */
    private static MedicationAdministration session(String patient, int day, String course) {
        MedicationAdministration session = new MedicationAdministration();
        session.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        session.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "6130", "ketamine")));
        session.setSubject(new Reference("Patient/" + patient));
        session.setEffective(new DateTimeType(java.util.Date.from(DAY_0.plus(Duration.ofDays(day)))));
        session.getDosage().setRoute(new CodeableConcept(new Coding("http://snomed.info/sct", "78421000", "Intramuscular route")));
        session.getDosage().setDose((SimpleQuantity) new SimpleQuantity().setValue(50).setUnit("mg")
                .setSystem("http://unitsofmeasure.org").setCode("mg"));
        if (course != null) {
            session.addExtension(OutcomeFactExtractor.TREATMENT_PLAN_EXTENSION, new Reference("CarePlan/" + course));
        }
        return session;
    }

    /** A PHQ-9 total as another system sends it: plain R4, LOINC 44261-6, at 14:00 on the given day. */
    private static Observation score(String patient, int day, int value) {
        Observation score = new Observation();
        score.setStatus(Observation.ObservationStatus.FINAL);
        score.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "survey", null)));
        score.setCode(new CodeableConcept(new Coding("http://loinc.org", "44261-6", "PHQ-9 total score")));
        score.setSubject(new Reference("Patient/" + patient));
        score.setEffective(new DateTimeType(java.util.Date.from(scoreDay(day))));
        score.setValue(new IntegerType(value));
        return score;
    }

    /** A PHQ-9 total at a given instant. */
    private static Observation scoreAt(String patient, Instant at, int value) {
        Observation score = score(patient, 0, value);
        score.setEffective(new DateTimeType(java.util.Date.from(at)));
        return score;
    }

    /** A blood-pressure panel (85354-9) as a clinic system sends it: no partOf. */
    private static Observation bloodPressure(String patient, Instant at, int systolic, int diastolic) {
        Observation bp = new Observation();
        bp.setStatus(Observation.ObservationStatus.FINAL);
        bp.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", null)));
        bp.setCode(new CodeableConcept(new Coding("http://loinc.org", "85354-9", "Blood pressure panel")));
        bp.setSubject(new Reference("Patient/" + patient));
        bp.setEffective(new DateTimeType(java.util.Date.from(at)));
        bp.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", "Systolic blood pressure")))
                .setValue(new org.hl7.fhir.r4.model.Quantity().setValue(systolic).setUnit("mm[Hg]")
                        .setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
        bp.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "8462-4", "Diastolic blood pressure")))
                .setValue(new org.hl7.fhir.r4.model.Quantity().setValue(diastolic).setUnit("mm[Hg]")
                        .setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
        return bp;
    }

    private static Instant scoreDay(int day) {
        return DAY_0.plus(Duration.ofDays(day)).plus(Duration.ofHours(5));
    }

    private static java.util.Date Date(Instant instant) {
        return java.util.Date.from(instant);
    }

    private Parameters summary(String path) {
        HttpResponse<String> response = getRaw(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Parameters.class, response.body());
    }

    private static ParametersParameterComponent instrument(Parameters summary, String id) {
        return summary.getParameter().stream()
                .filter(p -> p.getName().equals("instrument"))
                .filter(p -> parts(p).get("questionnaire").primitiveValue().endsWith("/" + id))
                .findFirst().orElseThrow(() -> new AssertionError("no instrument " + id));
    }

    private static Map<String, Type> parts(ParametersParameterComponent parameter) {
        return parameter.getPart().stream().filter(p -> p.getValue() != null)
                .collect(Collectors.toMap(ParametersParameterComponent::getName, ParametersParameterComponent::getValue, (a, b) -> a));
    }

    private static Integer integer(Map<String, Type> parts, String name) {
        assertThat(parts).as(name).containsKey(name);
        return ((IntegerType) parts.get(name)).getValue();
    }

    private static Boolean bool(Map<String, Type> parts, String name) {
        assertThat(parts).as(name).containsKey(name);
        return ((org.hl7.fhir.r4.model.BooleanType) parts.get(name)).getValue();
    }

    private static MeasureReport.MeasureReportGroupComponent group(MeasureReport report, String code) {
        return report.getGroup().stream().filter(g -> g.getCode().getCodingFirstRep().getCode().equals(code)).findFirst().orElseThrow();
    }

    private static Map<String, Integer> populations(MeasureReport.MeasureReportGroupComponent group) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        group.getPopulation().forEach(p -> counts.put(p.getCode().getCodingFirstRep().getCode(), p.getCount()));
        return counts;
    }
}
