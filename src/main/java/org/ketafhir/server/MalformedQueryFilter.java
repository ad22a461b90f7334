package org.ketafhir.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses with 400 a query string in which a '%' does not start a two-digit hexadecimal escape (RFC 3986, section
 * 2.1), such as {@code Patient?_elements=%%%}: HAPI decodes the query before any interceptor runs, and its decoder
 * failed on such input with a 500.
 */
final class MalformedQueryFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int bad = malformedEscape(request.getQueryString());
        if (bad >= 0) {
            OperationOutcomes.write(response, 400, IssueType.INVALID, "Malformed percent-encoding in the query string "
                    + "at character " + (bad + 1) + ": '%' must be followed by two hexadecimal digits (write '%25' "
                    + "for a literal '%')");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The index of the first '%' not followed by two hexadecimal digits, or -1. */
    static int malformedEscape(String query) {
        if (query == null) {
            return -1;
        }
        for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
            if (i + 2 >= query.length() || Character.digit(query.charAt(i + 1), 16) < 0
                    || Character.digit(query.charAt(i + 2), 16) < 0) {
                return i;
            }
        }
        return -1;
    }
}
