package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.DEFAULTS;
import static org.ketafhir.dosing.DosingCase.START;
import static org.ketafhir.dosing.DosingCase.bp;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;
import org.ketafhir.ig.GuidePackage;
import org.ketafhir.ig.GuideValueSets;

/** The REMS monitoring form filled from a session's stored facts. */
class RemsRecordTest {

    private static final String SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness";
    private static final Set<String> SERIOUS = GuideValueSets.enumerated(
            GuidePackage.builtIn(), "ketafhir-serious-adverse-events").keySet();
    private final RemsRecord rems = new RemsRecord(DEFAULTS, SERIOUS);

    /** 56 mg at 09:00 UTC, dosing over 6 min; 120/80 at -10 min, 150/85 at +40 min (above 140: an increase). */
    private RemsRecord.Inputs session(Optional<java.time.Instant> observationEnd, Set<String> events, boolean serious) {
        return new RemsRecord.Inputs("Patient/p", START, START.plus(Duration.ofMinutes(6)), new BigDecimal("56"),
                Optional.empty(), List.of(bp(118, 76, -40), bp(120, 80, -10), bp(150, 85, 40), bp(128, 82, 90)),
                observationEnd, events, serious);
    }

    @Test
    void shouldFillTheFormFromTheSessionAndItsReadings() {
        // discharge at +126 min = 120 min after the end of dosing at +6 min
        QuestionnaireResponse form = rems.build(session(Optional.of(START.plus(Duration.ofMinutes(126))),
                Set.of("http://ketafhir.org/fhir/CodeSystem/ketafhir|dissociation"), false), new Date());

        assertThat(form.getQuestionnaire()).isEqualTo("http://ketafhir.org/fhir/Questionnaire/spravato-rems-monitoring");
        assertThat(form.getSubject().getReference()).isEqualTo("Patient/p");
        assertThat(answer(form, "session-date").primitiveValue()).isEqualTo("2026-09-07");
        assertThat(answer(form, "dose-mg").primitiveValue()).isEqualTo("56");
        // 56 mg / 28 mg = 2 devices
        assertThat(answer(form, "devices").primitiveValue()).isEqualTo("2");
        // the latest pre-dose reading (-10 min), the post-dose one at +40 min (not the +90 min one)
        assertThat(answer(form, "bp-pre-dose-systolic").primitiveValue()).isEqualTo("120");
        assertThat(answer(form, "bp-pre-dose-diastolic").primitiveValue()).isEqualTo("80");
        assertThat(answer(form, "bp-post-dose-systolic").primitiveValue()).isEqualTo("150");
        assertThat(answer(form, "bp-post-dose-diastolic").primitiveValue()).isEqualTo("85");
        assertThat(answer(form, "dissociation").primitiveValue()).isEqualTo("true");
        assertThat(answer(form, "sedation").primitiveValue()).isEqualTo("false");
        assertThat(answer(form, "respiratory-depression").primitiveValue()).isEqualTo("false");
        assertThat(answer(form, "blood-pressure-increase").primitiveValue()).isEqualTo("true");
        assertThat(answer(form, "monitored-2-hours").primitiveValue()).isEqualTo("true");
        assertThat(answer(form, "observation-end").primitiveValue()).isEqualTo("2026-09-07T11:06:00Z");
        assertThat(answer(form, "serious-adverse-event").primitiveValue()).isEqualTo("false");
    }

    @Test
    void shouldNotCallOneMinuteShortOfTwoHoursMonitored() {
        // discharge at +125 min = 119 min after the end of dosing
        QuestionnaireResponse under = rems.build(session(Optional.of(START.plus(Duration.ofMinutes(125))), Set.of(), true),
                new Date());
        QuestionnaireResponse unknown = rems.build(session(Optional.empty(), Set.of(), false), new Date());

        assertThat(answer(under, "monitored-2-hours").primitiveValue()).isEqualTo("false");
        assertThat(answer(under, "serious-adverse-event").primitiveValue()).isEqualTo("true");
        assertThat(answer(unknown, "monitored-2-hours").primitiveValue()).isEqualTo("false");
        assertThat(unknown.getItem()).noneMatch(i -> i.getLinkId().equals("observation-end"));
    }

    @Test
    void shouldCountSeriousAndEveryR4SpecificSeriousnessCodeButNotNonSerious() {
        // FHIR R4 4.0.1 adverse-event-seriousness: Serious, its six specific codes; Non-serious is not serious; a code
        // of another system is not either
        for (String code : List.of("Serious", "SeriousResultsInDeath", "SeriousIsLifeThreatening",
                "SeriousResultsInHospitalization", "SeriousResultsInDisability", "SeriousIsBirthDefect",
                "SeriousRequiresPreventImpairment")) {
            assertThat(rems.serious(seriousness(SERIOUSNESS, code))).as(code).isTrue();
        }
        assertThat(rems.serious(seriousness(SERIOUSNESS, "Non-serious"))).isFalse();
        assertThat(rems.serious(seriousness("http://example.org/local", "SeriousResultsInDeath"))).isFalse();
        // a coding without a system counts by its code (records from systems that leave it out)
        assertThat(rems.serious(seriousness(null, "SeriousIsLifeThreatening"))).isTrue();
        assertThat(rems.serious(new org.hl7.fhir.r4.model.CodeableConcept())).isFalse();
    }

    @Test
    void shouldDateTheSessionInTheClinicsTimeZone() {
        // 2026-09-08T01:30Z is 21:30 on 2026-09-07 in New York (EDT, UTC-4): an evening session keeps its day;
        // in UTC it is the 8th
        java.time.Instant evening = java.time.Instant.parse("2026-09-08T01:30:00Z");
        RemsRecord.Inputs in = new RemsRecord.Inputs("Patient/p", evening, evening.plus(Duration.ofMinutes(6)),
                new BigDecimal("56"), Optional.empty(), List.of(), Optional.empty(), Set.of(), false);
        DosingProperties newYork = new DosingProperties(true, 30, DEFAULTS.iv(), DEFAULTS.esketamine(),
                DEFAULTS.bloodPressure(), java.util.Map.of(), "America/New_York", DEFAULTS.readings(), DEFAULTS.im(),
                DEFAULTS.oral());

        assertThat(answer(new RemsRecord(newYork, SERIOUS).build(in, new Date()), "session-date").primitiveValue())
                .isEqualTo("2026-09-07");
        assertThat(answer(rems.build(in, new Date()), "session-date").primitiveValue()).isEqualTo("2026-09-08");
    }

    private static org.hl7.fhir.r4.model.CodeableConcept seriousness(String system, String code) {
        return new org.hl7.fhir.r4.model.CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(system, code, null));
    }

    private static Type answer(QuestionnaireResponse form, String linkId) {
        return find(form.getItem(), linkId).orElseThrow(() -> new AssertionError("no item " + linkId))
                .getAnswerFirstRep().getValue();
    }

    private static Optional<QuestionnaireResponseItemComponent> find(List<QuestionnaireResponseItemComponent> items, String linkId) {
        for (QuestionnaireResponseItemComponent item : items) {
            if (item.getLinkId().equals(linkId)) {
                return Optional.of(item);
            }
            Optional<QuestionnaireResponseItemComponent> nested = find(item.getItem(), linkId);
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }
}
