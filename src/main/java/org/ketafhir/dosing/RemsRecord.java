package org.ketafhir.dosing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;
import org.ketafhir.dosing.DosingFacts.BloodPressure;

/**
 * The Spravato REMS patient-monitoring record of one esketamine session, as a QuestionnaireResponse answering the
 * guide's Questionnaire spravato-rems-monitoring (linkIds as there). Plain Java over what is stored:
 * <ul>
 *   <li>session-date: the start's date in the clinic's time zone ({@code clinic-time-zone}); dose-mg; devices: the device-count extension, else the dose / 28 mg.</li>
 *   <li>bp-pre-dose: the reading the dosing rules use (latest in the pre-dose window); bp-post-dose: the first one in
 *       the post-dose window (30-60 min after the start).</li>
 *   <li>sedation, dissociation, respiratory-depression: an AdverseEvent on the session coded with the guide's codes;
 *       blood-pressure-increase: an AdverseEvent coded SNOMED 24184005 or a post-dose reading above the warning
 *       level; serious-adverse-event: an AdverseEvent on the session whose seriousness is in the guide's
 *       ketafhir-serious-adverse-events (Serious and the R4 specific codes: death, life-threatening, ...).</li>
 *   <li>monitored-2-hours: post-dose-observation-end at least the configured minimum (120 min) after the end of
 *       dosing; observation-end: that time. Items with nothing stored are left out (the form is then incomplete).</li>
 * </ul>
 */
final class RemsRecord {

    static final String QUESTIONNAIRE = "http://ketafhir.org/fhir/Questionnaire/spravato-rems-monitoring";
    static final String KETAFHIR = "http://ketafhir.org/fhir/CodeSystem/ketafhir|";
    static final String BP_INCREASE = "http://snomed.info/sct|24184005";

    /**
     * @param patient            {@code Patient/<id>}
     * @param adverseEventCodes  {@code system|code} of the AdverseEvents whose suspect entity is the session
     * @param seriousAdverseEvent whether one of them is serious
     */
    record Inputs(
            String patient,
            Instant start,
            Instant doseEnd,
            BigDecimal doseMg,
            Optional<Integer> devices,
            List<BloodPressure> bloodPressures,
            Optional<Instant> observationEnd,
            Set<String> adverseEventCodes,
            boolean seriousAdverseEvent) {}

    private final DosingProperties properties;
    private final Set<String> seriousness;

    /** @param seriousness {@code system|code} of the seriousness codes that make an event serious (guide ValueSet) */
    RemsRecord(DosingProperties properties, Set<String> seriousness) {
        this.properties = properties;
        this.seriousness = Set.copyOf(seriousness);
    }

    /**
     * Whether an AdverseEvent seriousness is serious: a code of ketafhir-serious-adverse-events (Serious and the R4
     * specific codes); a coding without a system counts by its code.
     */
    boolean serious(CodeableConcept eventSeriousness) {
        return eventSeriousness != null && eventSeriousness.getCoding().stream().filter(c -> c.hasCode()).anyMatch(c ->
                c.hasSystem() ? seriousness.contains(c.getSystem() + "|" + c.getCode())
                        : seriousness.stream().anyMatch(s -> s.endsWith("|" + c.getCode())));
    }

    QuestionnaireResponse build(Inputs in, Date authored) {
        DosingProperties.BloodPressure bp = properties.bloodPressure();
        QuestionnaireResponse form = new QuestionnaireResponse();
        form.setQuestionnaire(QUESTIONNAIRE);
        form.setStatus(QuestionnaireResponseStatus.COMPLETED);
        form.setSubject(new Reference(in.patient()));
        form.setAuthored(authored);

        answer(form.addItem().setLinkId("session-date"),
                new DateType(in.start().atZone(properties.clinicZone()).toLocalDate().toString()));
        answer(form.addItem().setLinkId("dose-mg"), new IntegerType(in.doseMg().intValue()));
        Optional<Integer> devices = in.devices().or(() -> in.doseMg()
                .remainder(BigDecimal.valueOf(properties.esketamine().deviceMg())).signum() == 0
                        ? Optional.of(in.doseMg().intValueExact() / properties.esketamine().deviceMg())
                        : Optional.empty());
        devices.ifPresent(n -> answer(form.addItem().setLinkId("devices"), new IntegerType(n)));

        BloodPressure.preDose(in.bloodPressures(), in.start(), bp).ifPresent(r -> pressure(form, "bp-pre-dose", r));
        Instant postFrom = in.start().plus(Duration.ofMinutes(bp.postDoseFromMinutes()));
        Instant postTo = in.start().plus(Duration.ofMinutes(bp.postDoseToMinutes()));
        List<BloodPressure> post = in.bloodPressures().stream()
                .filter(r -> !r.at().isBefore(postFrom) && !r.at().isAfter(postTo))
                .sorted(Comparator.comparing(BloodPressure::at))
                .toList();
        post.stream().findFirst().ifPresent(r -> pressure(form, "bp-post-dose", r));

        Set<String> events = in.adverseEventCodes();
        answer(form.addItem().setLinkId("sedation"), new BooleanType(events.contains(KETAFHIR + "sedation")));
        answer(form.addItem().setLinkId("dissociation"), new BooleanType(events.contains(KETAFHIR + "dissociation")));
        answer(form.addItem().setLinkId("respiratory-depression"),
                new BooleanType(events.contains(KETAFHIR + "respiratory-depression")));
        boolean increase = events.contains(BP_INCREASE) || post.stream().anyMatch(r -> r.aboveWarning(bp));
        answer(form.addItem().setLinkId("blood-pressure-increase"), new BooleanType(increase));
        boolean monitored = in.observationEnd().map(end -> Duration.between(in.doseEnd(), end).toMinutes()
                >= properties.esketamine().minObservationMinutes()).orElse(false);
        answer(form.addItem().setLinkId("monitored-2-hours"), new BooleanType(monitored));
        in.observationEnd().ifPresent(end -> {
            DateTimeType at = new DateTimeType(Date.from(end));
            at.setTimeZoneZulu(true);
            answer(form.addItem().setLinkId("observation-end"), at);
        });
        answer(form.addItem().setLinkId("serious-adverse-event"), new BooleanType(in.seriousAdverseEvent()));
        return form;
    }

    private static void pressure(QuestionnaireResponse form, String group, BloodPressure reading) {
        QuestionnaireResponseItemComponent item = form.addItem().setLinkId(group);
        answer(item.addItem().setLinkId(group + "-systolic"), new IntegerType(reading.systolic().intValue()));
        answer(item.addItem().setLinkId(group + "-diastolic"), new IntegerType(reading.diastolic().intValue()));
    }

    private static void answer(QuestionnaireResponseItemComponent item, Type value) {
        item.addAnswer().setValue(value);
    }
}
