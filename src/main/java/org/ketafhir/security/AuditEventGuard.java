package org.ketafhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.ketafhir.server.BulkImportWrites;

/**
 * AuditEvents live in the audit log ({@link AuditEventLogProvider}), not in HAPI's resource tables. A transaction or
 * batch Bundle reaches those tables directly, past the provider, so this guard on HAPI's JPA interceptor service
 * refuses an AuditEvent written that way: a create is refused with 422 (post it to {@code /AuditEvent} on its own),
 * an update or delete with 405 (the trail is append-only). The server's own writes ({@code SystemRequestDetails}, but not
 * those of a {@code $import}: {@link BulkImportWrites}) pass, so that earlier versions' events can still be read
 * for the move into the log.
 */
@Interceptor
class AuditEventGuard {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        if (resource instanceof AuditEvent && fromClient(request)) {
            throw new UnprocessableEntityException("AuditEvents are kept in the audit log and cannot be written inside a"
                    + " transaction or batch Bundle: POST each one to AuditEvent (needs a system/AuditEvent.c scope)");
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
        return request != null && !BulkImportWrites.isServerOwnWrite(request);
    }
}
