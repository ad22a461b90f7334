package org.ketafhir.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;

/**
 * Completes HAPI's generated CapabilityStatement with what the server does but HAPI does not declare: batch
 * Bundles are processed by the same system endpoint as transactions.
 */
@Interceptor
public class CapabilityStatementInterceptor {

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void complete(IBaseConformance generated) {
        CapabilityStatement.CapabilityStatementRestComponent rest =
                ((CapabilityStatement) generated).getRestFirstRep();
        boolean declared = rest.getInteraction().stream()
                .anyMatch(interaction -> interaction.getCode() == SystemRestfulInteraction.BATCH);
        if (!declared) {
            rest.addInteraction().setCode(SystemRestfulInteraction.BATCH);
        }
    }
}
