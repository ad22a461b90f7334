package org.ketafhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;

/**
 * What HAPI's BALP interceptor leaves out: operations ({@code $everything}, {@code $outcome-summary},
 * {@code $export}...), which it does not audit, and refused or failed requests (403, 404, 422, 500...), which it
 * does not see. Each becomes an AuditEvent in the same shape (type rest, subtype the interaction, the user and
 * client agents, the patient when the request names one), with the outcome of the request.
 */
@Interceptor
class OperationAuditInterceptor {

    private final IBalpAuditEventSink sink;
    private final IBalpAuditContextServices context;

    OperationAuditInterceptor(IBalpAuditEventSink sink, IBalpAuditContextServices context) {
        this.sink = sink;
        this.context = context;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void operationCompleted(RequestDetails request) {
        if (isOperation(request.getRestOperationType())) {
            sink.recordAuditEvent(event(request, AuditEventOutcome._0, null));
        }
    }

    /** Before HAPI's own exception handler, which answers the client and stops the hook chain. */
    @Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = -1000)
    public boolean requestFailed(RequestDetails request, BaseServerResponseException failure) {
        RestOperationTypeEnum type = request.getRestOperationType();
        if (type != null && type != RestOperationTypeEnum.METADATA) {
            AuditEventOutcome outcome = failure.getStatusCode() >= 500 ? AuditEventOutcome._8 : AuditEventOutcome._4;
            sink.recordAuditEvent(event(request, outcome, "HTTP " + failure.getStatusCode()));
        }
        return true;
    }

    private static boolean isOperation(RestOperationTypeEnum type) {
        return type == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
                || type == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                || type == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE;
    }

    private AuditEvent event(RequestDetails request, AuditEventOutcome outcome, String outcomeDescription) {
        RestOperationTypeEnum type = request.getRestOperationType();
        AuditEvent event = BalpEvents.rest(interaction(type), action(type), outcome, request.getFhirServerBase());
        if (isOperation(type)) {
            event.addSubtype(new Coding(null, request.getOperation(), null));
        }
        if (outcomeDescription != null) {
            event.setOutcomeDesc(outcomeDescription);
        }
        AuditEvent.AuditEventAgentComponent client = event.addAgent().setRequestor(false)
                .setWho(context.getAgentClientWho(request));
        client.getType().addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110153", "Source Role ID"));
        String address = context.getNetworkAddress(request);
        if (address != null) {
            client.getNetwork().setAddress(address).setType(context.getNetworkAddressType(request));
        }
        AuditEvent.AuditEventAgentComponent user = event.addAgent().setRequestor(true)
                .setWho(context.getAgentUserWho(request));
        user.getType().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient"));
        String patient = patientOf(request);
        if (patient != null) {
            BalpEvents.addPatient(event, patient);
        }
        AuditEvent.AuditEventEntityComponent query = event.addEntity();
        query.getType().setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE).setCode("2").setDisplay("System Object");
        query.getRole().setSystem(BalpConstants.CS_OBJECT_ROLE).setCode("24").setDisplay("Query");
        query.setQuery(request.getCompleteUrl().getBytes(StandardCharsets.UTF_8));
        IIdType id = request.getId();
        if (id != null && id.hasIdPart() && request.getResourceName() != null) {
            query.getWhat().setReference(request.getFhirServerBase() + "/" + request.getResourceName() + "/" + id.getIdPart());
        }
        return event;
    }

    /** The patient a request is about: a Patient instance, or a patient / subject parameter naming one. */
    private static String patientOf(RequestDetails request) {
        IIdType id = request.getId();
        if ("Patient".equals(request.getResourceName()) && id != null && id.hasIdPart()) {
            return request.getFhirServerBase() + "/Patient/" + id.getIdPart();
        }
        for (String name : new String[] {"patient", "subject"}) {
            String[] values = request.getParameters().get(name);
            if (values != null && values.length == 1) {
                String value = values[0].startsWith("Patient/") ? values[0].substring("Patient/".length()) : values[0];
                if (!value.isBlank() && !value.contains("/") && (name.equals("patient") || values[0].startsWith("Patient/"))) {
                    return request.getFhirServerBase() + "/Patient/" + value;
                }
            }
        }
        return null;
    }

    private static String interaction(RestOperationTypeEnum type) {
        if (type == null) {
            return "operation";
        }
        return switch (type) {
            case READ -> "read";
            case VREAD -> "vread";
            case UPDATE -> "update";
            case PATCH -> "patch";
            case DELETE -> "delete";
            case CREATE -> "create";
            case SEARCH_TYPE -> "search-type";
            case SEARCH_SYSTEM, GET_PAGE -> "search-system";
            case HISTORY_INSTANCE -> "history-instance";
            case HISTORY_TYPE -> "history-type";
            case HISTORY_SYSTEM -> "history-system";
            case TRANSACTION -> "transaction";
            case BATCH -> "batch";
            default -> "operation";
        };
    }

    private static AuditEventAction action(RestOperationTypeEnum type) {
        if (type == null) {
            return AuditEventAction.E;
        }
        String name = type.name().toUpperCase(Locale.ROOT);
        if (name.startsWith("CREATE")) {
            return AuditEventAction.C;
        }
        if (name.startsWith("UPDATE") || name.equals("PATCH")) {
            return AuditEventAction.U;
        }
        if (name.startsWith("DELETE")) {
            return AuditEventAction.D;
        }
        if (name.equals("READ") || name.equals("VREAD")) {
            return AuditEventAction.R;
        }
        return AuditEventAction.E;
    }
}
