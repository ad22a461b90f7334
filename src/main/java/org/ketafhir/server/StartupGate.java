package org.ketafhir.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps FHIR requests away from the server until it can keep its promises. Tomcat accepts connections before the
 * start-up work is done (the guide installed, its profiles enforceable, the outcome index built): until the
 * application reports {@link ReadinessState#ACCEPTING_TRAFFIC}, and again once it refuses traffic (shutting down,
 * or an outcome-index rebuild), every {@code /fhir} request is answered 503 with {@code Retry-After} and an
 * OperationOutcome, so that no write can skip a check and no half-built CapabilityStatement is served and cached.
 * The readiness probe ({@code /actuator/health/readiness}) reads the same state.
 */
final class StartupGate extends OncePerRequestFilter {

    static final int RETRY_AFTER_SECONDS = 5;

    private final ApplicationAvailability availability;

    StartupGate(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        OperationOutcomes.write(response, 503, IssueType.TRANSIENT,
                "The server is not ready to answer FHIR requests yet (starting up or rebuilding its outcome index); "
                        + "nothing was read or stored. Retry after " + RETRY_AFTER_SECONDS + " seconds.");
    }
}
