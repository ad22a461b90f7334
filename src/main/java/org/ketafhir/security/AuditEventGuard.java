package org.ketafhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import java.util.EnumSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.ketafhir.security.SmartScopes.Context;
import org.ketafhir.security.SmartScopes.Permission;

/**
 * The audit trail is append-only for clients: an AuditEvent cannot be updated, patched or deleted through the API
 * (405), and only a backend with a {@code system/} create scope on AuditEvent may add one (another audit source
 * forwarding its events); everyone else gets 403. The server's own writes ({@link SystemRequestDetails}) pass.
 * On HAPI's JPA interceptor service, so transaction entries are checked too.
 */
@Interceptor
class AuditEventGuard {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        if (resource instanceof AuditEvent && fromClient(request)
                && !Caller.scopes().permits("AuditEvent", Permission.CREATE, EnumSet.of(Context.SYSTEM))) {
            throw new ForbiddenOperationException(
                    "AuditEvents are recorded by the server; adding one needs a system/AuditEvent.c scope");
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, RequestDetails request) {
        refuseChange(previous, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleted(IBaseResource resource, RequestDetails request) {
        refuseChange(resource, request);
    }

    private static void refuseChange(IBaseResource resource, RequestDetails request) {
        if (resource instanceof AuditEvent && fromClient(request)) {
            throw new MethodNotAllowedException("AuditEvents cannot be changed or deleted: the audit trail is append-only");
        }
    }

    private static boolean fromClient(RequestDetails request) {
        return request != null && !(request instanceof SystemRequestDetails);
    }
}
