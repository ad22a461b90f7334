package org.ketafhir.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import org.hl7.fhir.r4.model.Reference;

/**
 * Who did it, for the BALP AuditEvents: the token's subject (the user) and client, identified in the namespace
 * of the token issuer. Without a token (the open quick-start) both are "anonymous".
 */
class AuditContextServices implements IBalpAuditContextServices {

    private final String issuer;

    AuditContextServices(String issuer) {
        this.issuer = issuer == null || issuer.isBlank() ? "urn:ketafhir:no-authentication" : issuer;
    }

    @Override
    public Reference getAgentClientWho(RequestDetails request) {
        String client = Caller.client();
        return new Reference().setDisplay(client).setIdentifier(
                new org.hl7.fhir.r4.model.Identifier().setSystem(issuer).setValue(client));
    }

    @Override
    public Reference getAgentUserWho(RequestDetails request) {
        String user = Caller.user();
        return new Reference().setDisplay(user).setIdentifier(
                new org.hl7.fhir.r4.model.Identifier().setSystem(issuer).setValue(user));
    }
}
