package org.ketafhir.dosing;

import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.ketafhir.dosing.DosingFacts.Session;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;

/**
 * {@code MedicationAdministration/[id]/$rems-record}: the Spravato REMS monitoring form of one esketamine session,
 * built by {@link RemsRecord} and not stored.
 *
 * @see <a href="http://ketafhir.org/fhir/OperationDefinition/rems-record">OperationDefinition rems-record</a>
 */
final class RemsRecordProvider {

    static final String DEVICE_COUNT = "http://ketafhir.org/fhir/StructureDefinition/device-count";

    private final DosingSessions sessions;
    private final DosingRecords records;
    private final RemsRecord rems;

    RemsRecordProvider(DosingSessions sessions, DosingRecords records, RemsRecord rems) {
        this.sessions = sessions;
        this.records = records;
        this.rems = rems;
    }

    @Operation(name = "$rems-record", idempotent = true, type = MedicationAdministration.class)
    public QuestionnaireResponse remsRecord(@IdParam IdType id, RequestDetails request) {
        MedicationAdministration administration = records.readSession(id, request);
        Optional<Session> session = sessions.read(administration).filter(Session::esketamine);
        Optional<String> patient = DosingRecords.patientOf(administration);
        if (session.isEmpty() || patient.isEmpty()) {
            throw new UnprocessableEntityException("MedicationAdministration/" + id.getIdPart()
                    + " is not an esketamine dosing session (ValueSet ketafhir-esketamine) with a start, a dose in mg"
                    + " and a patient: there is no REMS record for it");
        }
        DosingFacts facts = records.facts(administration, session.get(), patient.get(), null);
        List<AdverseEvent> events = records.adverseEventsOf(patient.get(), id.getIdPart());
        Set<String> codes = new LinkedHashSet<>();
        events.forEach(e -> e.getEvent().getCoding().forEach(c -> codes.add(c.getSystem() + "|" + c.getCode())));
        boolean serious = events.stream().anyMatch(e -> rems.serious(e.getSeriousness()));
        Optional<Integer> devices = Optional.ofNullable(administration.getDosage().getExtensionByUrl(DEVICE_COUNT))
                .filter(e -> e.getValue() instanceof IntegerType)
                .map(e -> ((IntegerType) e.getValue()).getValue());
        Session s = session.get();
        return rems.build(new RemsRecord.Inputs(patient.get(), s.start(), s.doseEnd(), s.doseMg(), devices,
                facts.bloodPressures(), s.observationEnd(), codes, serious), new Date());
    }
}
