package org.ketafhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.ketafhir.server.BulkImportWrites;

/**
 * Audits each resource a Bulk Data {@code $import} stores. The job writes after the kick-off request has been
 * answered, where HAPI's BALP interceptor (which audits REST requests) does not see it; this hook, on HAPI's JPA
 * interceptor service, records a BALP-shaped create or update event per resource just before its transaction
 * commits, so the resource and its audit commit together. The event names the resource, its patient (the
 * compartment owner), the interaction, and the server's import job as the agent, with subtype {@code $import}: the
 * person or client who started the import is on the kick-off's own event.
 */
@Interceptor
final class ImportAuditInterceptor {

    private final IBalpAuditEventSink sink;
    private final FhirContext fhir;

    ImportAuditInterceptor(IBalpAuditEventSink sink, FhirContext fhir) {
        this.sink = sink;
        this.fhir = fhir;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        if (BulkImportWrites.isImportWrite(request)) {
            sink.recordAuditEvent(event(resource, "create", AuditEventAction.C));
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        if (BulkImportWrites.isImportWrite(request)) {
            sink.recordAuditEvent(event(resource, "update", AuditEventAction.U));
        }
    }

    AuditEvent event(IBaseResource resource, String interaction, AuditEventAction action) {
        AuditEvent event = BalpEvents.rest(interaction, action, AuditEventOutcome._0, "KetaFHIR");
        event.addSubtype(new Coding(null, "$import", null));
        AuditEvent.AuditEventAgentComponent job = event.addAgent().setRequestor(false)
                .setWho(new Reference().setDisplay("Bulk Data $import job"));
        job.getType().addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application"));

        String type = fhir.getResourceType(resource);
        String id = type + "/" + resource.getIdElement().getIdPart();
        patientsOf(resource, type, id).forEach(patient -> BalpEvents.addPatient(event, patient));
        AuditEvent.AuditEventEntityComponent written = event.addEntity();
        written.getType().setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE).setCode("2").setDisplay("System Object");
        written.getRole().setSystem(BalpConstants.CS_OBJECT_ROLE).setCode("4").setDisplay("Domain Resource");
        written.getWhat().setReference(id);
        return event;
    }

    /** The patients whose compartment holds the resource, as {@code Patient/id}. */
    private Set<String> patientsOf(IBaseResource resource, String type, String id) {
        Set<String> patients = new LinkedHashSet<>();
        if ("Patient".equals(type)) {
            patients.add(id);
        } else {
            for (IIdType owner : fhir.newTerser().getCompartmentOwnersForResource("Patient", resource, Set.of())) {
                if (owner.hasIdPart() && !owner.hasBaseUrl()) {
                    patients.add("Patient/" + owner.getIdPart());
                }
            }
        }
        return patients;
    }
}
