package org.ketafhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SimplePreResourceShowDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.ketafhir.security.AuditValues.Kind;
import org.ketafhir.security.SmartScopes.Context;
import org.ketafhir.security.SmartScopes.Permission;

/**
 * {@code AuditEvent} on the FHIR API, served from the {@link AuditLog} instead of HAPI's resource tables: read by id,
 * search by patient, entity, agent, type, subtype, action, outcome and date, paged with {@code _count} and
 * {@code _offset}, sorted by time recorded. The log is append-only: update, patch and delete answer 405; only a
 * backend with a {@code system/} create scope on AuditEvent may add an event (another audit source), others get 403.
 * What it returns passes the same authorization and audit hooks as a read from HAPI's storage.
 */
final class AuditEventLogProvider implements IResourceProvider {

    private static final Set<String> SORTS = Set.of("date", "_lastUpdated");

    private final AuditLog auditLog;
    private final AuditLogWriter writer;
    private final FhirContext fhir;

    AuditEventLogProvider(AuditLog auditLog, AuditLogWriter writer, FhirContext fhir) {
        this.auditLog = auditLog;
        this.writer = writer;
        this.fhir = fhir;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read
    public AuditEvent read(@IdParam IdType id, RequestDetails request) {
        String json = auditLog.read(id.getIdPart())
                .orElseThrow(() -> new ResourceNotFoundException("AuditEvent/" + id.getIdPart() + " is not in the audit log"));
        List<IBaseResource> shown = shown(List.of(parse(json)), request);
        if (shown.isEmpty()) {
            throw new ForbiddenOperationException("Access denied to AuditEvent/" + id.getIdPart());
        }
        return (AuditEvent) shown.get(0);
    }

    @Search(allowUnknownParams = false)
    public IBundleProvider search(
            @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceAndListParam patient,
            @OptionalParam(name = AuditEvent.SP_ENTITY) ReferenceAndListParam entity,
            @OptionalParam(name = AuditEvent.SP_AGENT) ReferenceAndListParam agent,
            @OptionalParam(name = AuditEvent.SP_TYPE) TokenAndListParam type,
            @OptionalParam(name = AuditEvent.SP_SUBTYPE) TokenAndListParam subtype,
            @OptionalParam(name = AuditEvent.SP_ACTION) TokenAndListParam action,
            @OptionalParam(name = AuditEvent.SP_OUTCOME) TokenAndListParam outcome,
            @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
            @Sort SortSpec sort,
            @Count Integer count,
            @Offset Integer offset,
            RequestDetails request) {
        List<AuditQuery.AnyOf> criteria = new ArrayList<>();
        references(criteria, Kind.PATIENT, patient);
        references(criteria, Kind.ENTITY, entity);
        references(criteria, Kind.AGENT, agent);
        tokens(criteria, Kind.TYPE, type);
        tokens(criteria, Kind.SUBTYPE, subtype);
        tokens(criteria, Kind.ACTION, action);
        tokens(criteria, Kind.OUTCOME, outcome);
        AuditQuery query = new AuditQuery(criteria,
                date == null ? null : date.getLowerBoundAsInstant() == null ? null : date.getLowerBoundAsInstant().toInstant(),
                date == null ? null : date.getUpperBoundAsInstant() == null ? null : date.getUpperBoundAsInstant().toInstant(),
                newestFirst(sort));

        IPagingProvider paging = request.getServer().getPagingProvider();
        int pageSize = count == null ? paging.getDefaultPageSize() : Math.min(Math.max(count, 0), paging.getMaximumPageSize());
        int from = offset == null ? 0 : Math.max(offset, 0);
        int total = auditLog.count(query);
        List<IBaseResource> page = new ArrayList<>();
        if (pageSize > 0) {
            auditLog.page(query, from, pageSize).forEach(json -> page.add(parse(json)));
        }
        SimpleBundleProvider result = new SimpleBundleProvider(shown(page, request));
        result.setSize(total);
        result.setCurrentPageOffset(from);
        result.setCurrentPageSize(pageSize);
        return result;
    }

    @Create
    public MethodOutcome create(@ResourceParam AuditEvent event, RequestDetails request) {
        if (!Caller.scopes().permits("AuditEvent", Permission.CREATE, EnumSet.of(Context.SYSTEM))) {
            throw new ForbiddenOperationException(
                    "AuditEvents are recorded by the server; adding one needs a system/AuditEvent.c scope");
        }
        String id = writer.appendFromSource(event);
        return new MethodOutcome(new IdType("AuditEvent", id), true).setResource(event);
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam AuditEvent event) {
        throw appendOnly();
    }

    @Patch
    public MethodOutcome patch(@IdParam IdType id, PatchTypeEnum type, @ResourceParam String body) {
        throw appendOnly();
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id) {
        throw appendOnly();
    }

    private static MethodNotAllowedException appendOnly() {
        return new MethodNotAllowedException("AuditEvents cannot be changed or deleted: the audit trail is append-only");
    }

    private AuditEvent parse(String json) {
        return fhir.newJsonParser().parseResource(AuditEvent.class, json);
    }

    /** Through the hooks HAPI's storage calls before it shows resources: authorization and the BALP audit. */
    private static List<IBaseResource> shown(List<IBaseResource> resources, RequestDetails request) {
        if (resources.isEmpty()) {
            return resources;
        }
        SimplePreResourceShowDetails details = new SimplePreResourceShowDetails(resources);
        HookParams params = new HookParams()
                .add(IPreResourceShowDetails.class, details)
                .add(RequestDetails.class, request)
                .addIfMatchesType(ServletRequestDetails.class, request);
        request.getInterceptorBroadcaster().callHooks(Pointcut.STORAGE_PRESHOW_RESOURCES, params);
        List<IBaseResource> shown = new ArrayList<>(resources.size());
        for (int i = 0; i < details.size(); i++) {
            if (details.getResource(i) != null) {
                shown.add(details.getResource(i));
            }
        }
        return shown;
    }

    private static boolean newestFirst(SortSpec sort) {
        if (sort == null) {
            return false;
        }
        if (!SORTS.contains(sort.getParamName()) || sort.getChain() != null) {
            throw new InvalidRequestException("AuditEvent can be sorted by date (the time recorded) only, not by "
                    + sort.getParamName());
        }
        return sort.getOrder() == ca.uhn.fhir.rest.api.SortOrderEnum.DESC;
    }

    private static void references(List<AuditQuery.AnyOf> criteria, Kind kind, ReferenceAndListParam and) {
        if (and == null) {
            return;
        }
        for (ReferenceOrListParam or : and.getValuesAsQueryTokens()) {
            List<String> values = new ArrayList<>();
            for (ReferenceParam reference : or.getValuesAsQueryTokens()) {
                if (reference.getChain() != null && !reference.getChain().isBlank()) {
                    throw new InvalidRequestException("AuditEvent?" + kind.name().toLowerCase(java.util.Locale.ROOT)
                            + " takes a reference, not a chain (." + reference.getChain() + ")");
                }
                String value = reference.getValue();
                if (kind == Kind.PATIENT && !value.contains("/")) {
                    value = "Patient/" + value;
                }
                values.add(value);
            }
            criteria.add(new AuditQuery.AnyOf(kind, values));
        }
    }

    private static void tokens(List<AuditQuery.AnyOf> criteria, Kind kind, TokenAndListParam and) {
        if (and == null) {
            return;
        }
        for (TokenOrListParam or : and.getValuesAsQueryTokens()) {
            List<String> values = new ArrayList<>();
            for (TokenParam token : or.getValuesAsQueryTokens()) {
                if (token.getModifier() != null) {
                    throw new InvalidRequestException("AuditEvent?" + kind.name().toLowerCase(java.util.Locale.ROOT)
                            + " takes no modifier (:" + token.getModifier().getValue() + ")");
                }
                values.add(token.getSystem() == null || token.getSystem().isBlank()
                        ? token.getValue()
                        : token.getSystem() + "|" + token.getValue());
            }
            criteria.add(new AuditQuery.AnyOf(kind, values));
        }
    }
}
