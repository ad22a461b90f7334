package org.ketafhir.server;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** FHIR JSON error answers written by servlet filters, before HAPI sees the request. */
public final class OperationOutcomes {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private OperationOutcomes() {}

    public static void write(HttpServletResponse response, int status, IssueType code, String diagnostics) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(code).setDiagnostics(diagnostics);
        byte[] body = FHIR.newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
