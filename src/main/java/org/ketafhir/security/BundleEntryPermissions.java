package org.ketafhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.UrlUtil;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.ketafhir.security.SmartScopes.Permission;

/**
 * The SMART v2 permission each entry of a transaction or batch Bundle needs, as for the same request sent alone: a
 * GET of one resource (or its history) needs r, a GET of a type (a search, or the type's history) s, a POST c, a
 * PUT or PATCH u, a DELETE d. HAPI's authorization rules check the entries too, but only as "read" and "write",
 * which cannot tell r from s or c from u. Entries that call an operation ({@code $name}) are left to those rules.
 */
final class BundleEntryPermissions {

    /** What one entry needs: {@code permission} on {@code resourceType}, at {@code Bundle.entry[index]}. */
    record Needed(int index, String resourceType, Permission permission) {
        String location() {
            return "Bundle.entry[" + index + "]";
        }
    }

    private BundleEntryPermissions() {}

    static List<Needed> of(FhirContext fhirContext, IBaseBundle bundle) {
        List<Needed> needed = new ArrayList<>();
        var entries = BundleUtil.toListOfEntries(fhirContext, bundle);
        for (int index = 0; index < entries.size(); index++) {
            var entry = entries.get(index);
            RequestTypeEnum method = entry.getRequestType();
            String url = entry.getUrl();
            if (method == null || (url != null && url.contains("$"))) {
                continue;
            }
            UrlUtil.UrlParts parts = UrlUtil.parseUrl(url == null ? "" : url);
            String type = parts.getResourceType();
            if ((type == null || type.isBlank()) && entry.getResource() != null) {
                type = fhirContext.getResourceType(entry.getResource());
            }
            String id = parts.getResourceId();
            // "Type/_history" and "Type/_search" are about the type, as a search is
            boolean typeLevel = id == null || id.isBlank() || id.startsWith("_");
            Permission permission = switch (method) {
                case GET, HEAD -> typeLevel ? Permission.SEARCH : Permission.READ;
                case POST -> "_search".equals(id) ? Permission.SEARCH : Permission.CREATE;
                case PUT, PATCH -> Permission.UPDATE;
                case DELETE -> Permission.DELETE;
                default -> null;
            };
            if (permission != null && type != null && !type.isBlank()) {
                needed.add(new Needed(index, type, permission));
            }
        }
        return needed;
    }
}
