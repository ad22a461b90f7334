package org.ketafhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Refuses (400) an XML request body that carries a document type declaration. FHIR XML must not contain a DTD
 * (xml.html), and a DTD is how external-entity attacks (XXE, e.g. CVE-2024-52007) start. HAPI's own parser
 * disables DTDs; this check keeps every body that reaches other XML readers (validation, terminology) free of
 * them too, and answers with a clear message instead of a parser error.
 */
@Interceptor
class XmlDoctypeGuard {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void refuseDoctype(RequestDetails request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("xml")) {
            return;
        }
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            return;
        }
        String text = new String(body, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
        if (text.contains("<!DOCTYPE") || text.contains("<!ENTITY")) {
            throw new InvalidRequestException(
                    "XML with a document type declaration (DOCTYPE or ENTITY) is not accepted: FHIR XML must not contain a DTD");
        }
    }
}
