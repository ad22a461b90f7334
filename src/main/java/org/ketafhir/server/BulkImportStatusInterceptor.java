package org.ketafhir.server;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.StatusEnum;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * HAPI's {@code $import-poll-status} answers a failed job with 500, as if the server had broken. A job fails because
 * of what it was given (a source that cannot be fetched, a resource that a check refused), so the poll answers 422
 * with an OperationOutcome: the job's last error and HAPI's report (each source, what was stored, each refusal).
 * Jobs in progress and completed ones are answered by HAPI (202 with {@code X-Progress}, 200 with the report).
 */
@Interceptor
final class BulkImportStatusInterceptor {

    static final String POLL_OPERATION = "$import-poll-status";

    private final IJobCoordinator jobs;
    private final FhirContext fhirContext;

    BulkImportStatusInterceptor(IJobCoordinator jobs, FhirContext fhirContext) {
        this.jobs = jobs;
        this.fhirContext = fhirContext;
    }

    /** After the authorization interceptor's own hook: a caller the scopes refuse gets 403, not the job's report. */
    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR + 1)
    public void polling(RequestDetails request) {
        if (!POLL_OPERATION.equals(request.getOperation())) {
            return;
        }
        String[] ids = request.getParameters().get("_jobId");
        if (ids == null || ids.length != 1) {
            return;
        }
        JobInstance job;
        try {
            job = jobs.getInstance(ids[0]);
        } catch (ResourceNotFoundException unknown) {
            return; // HAPI answers 404
        }
        if (job.getStatus() != StatusEnum.FAILED) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics("Bulk import job " + job.getInstanceId() + " failed: " + job.getErrorMessage());
        if (job.getReport() != null && !job.getReport().isBlank()) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics(job.getReport());
        }
        throw new UnprocessableEntityException(fhirContext, outcome);
    }
}
