package org.ketafhir.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;

/** The files of a {@code $import} are fetched by the server itself: nobody else is served them (403). */
final class LoopbackOnlyFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress()) {
            OperationOutcomes.write(response, 403, IssueType.FORBIDDEN, "Import files are served to this server only");
            return;
        }
        chain.doFilter(request, response);
    }
}
