package org.ketafhir.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses with 400 a query string in which a '%' does not start a two-digit hexadecimal escape (RFC 3986, section
 * 2.1), such as {@code Patient?_elements=%%%}: HAPI decodes the query before any interceptor runs, and its decoder
 * failed on such input with a 500. The same for a form-encoded POST {@code _search} body.
 */
final class MalformedQueryFilter extends OncePerRequestFilter {

    /** Set by Tomcat on a request whose parameters it could not all decode. */
    private static final String TOMCAT_PARAMETER_PARSE_FAILED = "org.apache.catalina.parameter_parse_failed";

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
        if (isForm(request)) {
            // Tomcat decodes a POST _search body itself and silently drops what it cannot decode: the search would
            // then run without those parameters, and find more than the client asked for.
            request.getParameterMap();
            if (request.getAttribute(TOMCAT_PARAMETER_PARSE_FAILED) != null) {
                OperationOutcomes.write(response, 400, IssueType.INVALID, "Malformed form body: a parameter could not "
                        + "be decoded ('%' must be followed by two hexadecimal digits); nothing was searched");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean isForm(HttpServletRequest request) {
        String type = request.getContentType();
        return "POST".equals(request.getMethod()) && type != null
                && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
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
