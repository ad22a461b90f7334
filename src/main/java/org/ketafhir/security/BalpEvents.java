package org.ketafhir.security;

import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/** The parts of an IHE BALP RESTful-interaction AuditEvent that every event this server records beside HAPI's shares. */
final class BalpEvents {

    static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";

    private BalpEvents() {}

    /** Type rest, the interaction as subtype, action, outcome, recorded now, this server as the observer. */
    static AuditEvent rest(String interaction, AuditEventAction action, AuditEventOutcome outcome, String observer) {
        AuditEvent event = new AuditEvent();
        event.getType().setSystem(BalpConstants.CS_AUDIT_EVENT_TYPE).setCode("rest").setDisplay("Restful Operation");
        event.addSubtype(new Coding(RESTFUL_INTERACTION, interaction, null));
        event.setAction(action);
        event.setRecorded(new Date());
        event.setOutcome(outcome);
        event.getSource().setObserver(new Reference().setDisplay(observer))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        return event;
    }

    /** The patient the event is about, as BALP records it (entity of type Person in the role Patient). */
    static void addPatient(AuditEvent event, String reference) {
        AuditEvent.AuditEventEntityComponent entity = event.addEntity();
        entity.getType().setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE).setCode("1").setDisplay("Person");
        entity.getRole().setSystem(BalpConstants.CS_OBJECT_ROLE).setCode("1").setDisplay("Patient");
        entity.getWhat().setReference(reference);
    }
}
