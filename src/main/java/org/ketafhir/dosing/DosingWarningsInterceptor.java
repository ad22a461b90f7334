package org.ketafhir.dosing;

import java.util.List;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Returns the warnings of a stored session to the client: when the response is an OperationOutcome (a create or
 * update sent with {@code Prefer: return=OperationOutcome}), a warning issue per finding is added to it. Registered on
 * the RestfulServer; the DetectedIssue holds the same warnings whatever the client asked for.
 */
@Interceptor
final class DosingWarningsInterceptor {

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean outgoing(RequestDetails request, IBaseResource response) {
        Object warnings = request.getUserData().get(DosingStorageInterceptor.WARNINGS);
        if (response instanceof OperationOutcome outcome && warnings instanceof List<?> list && !list.isEmpty()) {
            DosingOutcomes.addWarnings(outcome, list.stream().map(Finding.class::cast).toList());
        }
        return true;
    }
}
