package org.ketafhir.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import java.util.EnumSet;
import java.util.Optional;
import org.ketafhir.security.SmartScopes.Context;
import org.ketafhir.security.SmartScopes.Permission;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A search by a token limited to its launch patient is narrowed to that patient's compartment (HAPI adds the
 * {@code patient} / {@code subject} parameter), so "GET /Observation" answers that patient's Observations rather
 * than 403 because other patients' would be in the results. A search naming another patient is refused (403).
 */
class PatientSearchNarrowing extends SearchNarrowingInterceptor {

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        Optional<Jwt> token = Caller.token();
        if (token.isEmpty()) {
            return null;
        }
        Optional<String> patient = Caller.patient(token.get());
        String type = request.getResourceName();
        if (patient.isEmpty() || type == null) {
            return null;
        }
        boolean serverWide = Caller.scopes(token.get())
                .permits(type, Permission.SEARCH, EnumSet.of(Context.USER, Context.SYSTEM));
        return serverWide ? null : new AuthorizedList().addCompartment("Patient/" + patient.get());
    }
}
