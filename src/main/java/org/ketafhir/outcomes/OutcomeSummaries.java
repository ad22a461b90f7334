package org.ketafhir.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;

/**
 * The outcome summaries the operations return: reads the outcome index (never FHIR searches), runs the processors and
 * writes FHIR. The resources a summary is about are read through the DAOs so that a missing or deleted one answers
 * 404 / 410 as a read would.
 */
final class OutcomeSummaries {

    private static final Set<FactKind> COHORT_KINDS =
            EnumSet.of(FactKind.SESSION, FactKind.PSYCHOTHERAPY, FactKind.CONDITION, FactKind.ADVERSE_EVENT);

    private final OutcomeIndex index;
    private final OutcomeInstruments instruments;
    private final PatientOutcomeProcessor patients;
    private final CohortOutcomeProcessor cohorts;
    private final OutcomeParameters parameters;
    private final OutcomeDocument documents;
    private final CohortMeasureReport reports;
    private final DaoRegistry daos;
    private final Clock clock;

    OutcomeSummaries(OutcomeIndex index, OutcomeInstruments instruments, OutcomeRules rules, OutcomeCodes codes,
            DaoRegistry daos, Clock clock) {
        this.index = index;
        this.instruments = instruments;
        this.patients = new PatientOutcomeProcessor(instruments, rules);
        this.cohorts = new CohortOutcomeProcessor(patients, codes.conditions());
        this.parameters = new OutcomeParameters(codes);
        this.documents = new OutcomeDocument(codes);
        this.reports = new CohortMeasureReport(codes);
        this.daos = daos;
        this.clock = clock;
    }

    /** A patient's or a course's summary: Parameters, or a document Bundle. */
    Resource forPatientOrCourse(IdType id, List<String> instrumentNames, Instant start, Instant end, boolean document,
            boolean series, RequestDetails request) {
        String patientId;
        String courseId = null;
        if ("CarePlan".equals(id.getResourceType())) {
            CarePlan plan = (CarePlan) daos.getResourceDao("CarePlan").read(id.toUnqualifiedVersionless(), request);
            patientId = OutcomeFactExtractor.patientId(plan.getSubject());
            if (patientId == null) {
                throw new InvalidRequestException("CarePlan/" + id.getIdPart()
                        + " has no Patient subject, so it is not a treatment course that can be summarised");
            }
            courseId = id.getIdPart();
        } else {
            daos.getResourceDao("Patient").read(id.toUnqualifiedVersionless(), request);
            patientId = id.getIdPart();
        }
        Set<String> codes = instrumentCodes(instrumentNames);
        PatientOutcome outcome = patients.summarise(patientId, index.forPatient(patientId), courseId, start, end, codes);
        if (document) {
            return documents.write(outcome, clock.instant(), request.getFhirServerBase(),
                    reference -> readOrNull(reference, request));
        }
        return parameters.write(outcome, patients.rules(), series);
    }

    /** A cohort's summary, over every patient or the Patient members of a Group. */
    MeasureReport forCohort(String instrumentName, CohortFilter filter, IdType group, RequestDetails request) {
        OutcomeInstrument instrument = instrument(instrumentName == null ? "phq-9" : instrumentName);
        CohortFilter applied = filter;
        if (group != null) {
            Group members = (Group) daos.getResourceDao("Group").read(group.toUnqualifiedVersionless(), request);
            Set<String> ids = members.getMember().stream()
                    .map(m -> OutcomeFactExtractor.idOf(m.getEntity(), "Patient"))
                    .filter(m -> m != null).collect(Collectors.toSet());
            applied = new CohortFilter(filter.conditions(), filter.routes(), filter.firstSessionFrom(),
                    filter.firstSessionTo(), filter.psychotherapy(), filter.baselineSeverity(), ids);
        }
        Map<String, List<OutcomeFact>> byPatient = new HashMap<>();
        index.forCohort(instrument.codeToken(), COHORT_KINDS,
                fact -> byPatient.computeIfAbsent(fact.patientId(), p -> new ArrayList<>()).add(fact));
        CohortOutcome outcome = cohorts.summarise(instrument, byPatient, applied);
        return reports.write(outcome, filter.firstSessionFrom(), filter.firstSessionTo(), clock.instant(),
                group == null ? null : group.getIdPart());
    }

    private Set<String> instrumentCodes(List<String> names) {
        Set<String> codes = new LinkedHashSet<>();
        for (String name : names) {
            codes.add(instrument(name).codeToken());
        }
        return codes;
    }

    private OutcomeInstrument instrument(String name) {
        String wanted = name.startsWith("Questionnaire/") ? name.substring("Questionnaire/".length()) : name;
        return instruments.byName(wanted).orElseThrow(() -> new InvalidRequestException("Parameter 'instrument': '"
                + wanted + "' is not an instrument of the guide; use the id or canonical URL of one of its Questionnaires ("
                + instruments.all().stream().map(OutcomeInstrument::id).sorted().collect(Collectors.joining(", ")) + ")"));
    }

    private IBaseResource readOrNull(String reference, RequestDetails request) {
        IdType id = new IdType(reference);
        try {
            return daos.getResourceDao(id.getResourceType()).read(id, request);
        } catch (BaseServerResponseException gone) {
            return null;
        }
    }
}
