package org.ketafhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.ketafhir.security.SmartScopes.Context;
import org.ketafhir.security.SmartScopes.Grant;
import org.ketafhir.security.SmartScopes.Permission;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * SMART on FHIR scopes turned into HAPI authorization rules, per request, from the validated bearer token.
 *
 * <ul>
 *   <li>{@code patient/} scopes apply to the compartment of the token's {@code patient} claim (the launch
 *       context) and grant nothing without it; {@code user/} and {@code system/} scopes apply server-wide.</li>
 *   <li>HAPI's rule builder knows "read" (read and search) and "write" (create and update); the finer SMART v2
 *       letters are checked first by {@link #requireScopeForInteraction}: a read needs r, a search s, a create c,
 *       an update or patch u, a delete d, on the resource type; in a transaction or batch Bundle, for each entry.</li>
 *   <li>Operations: {@code Patient/[id]/$everything} and {@code $outcome-summary} on a Patient or CarePlan are
 *       reads of that patient's compartment; the cohort {@code $outcome-summary} ([base], Group) needs user or
 *       system read on all types; Bulk Data {@code $export} needs {@code system/} read on all types, {@code $import}
 *       (and its status) {@code system/} create and update on all types.</li>
 * </ul>
 * Anything not granted is refused with 403 and an OperationOutcome.
 */
@Interceptor
class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

    static final String OUTCOME_SUMMARY = "$outcome-summary";
    private static final Set<Context> SERVER_WIDE = EnumSet.of(Context.USER, Context.SYSTEM);
    /** Operations that only read, allowed to a token that may read every resource type. */
    private static final List<String> READ_ONLY_OPERATIONS = List.of(
            "$meta", "$expand", "$lookup", "$validate-code", "$subsumes", "$diff", "$rems-record");

    private final DaoRegistry daos;

    SmartAuthorizationInterceptor(DaoRegistry daos) {
        super(PolicyEnum.DENY);
        this.daos = daos;
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        RuleBuilder rules = new RuleBuilder();
        rules.allow("metadata").metadata();
        Optional<Jwt> token = Caller.token();
        if (token.isEmpty()) {
            return rules.denyAll("a bearer token is required").build();
        }
        SmartScopes scopes = Caller.scopes(token.get());
        Optional<IdType> patient = Caller.patient(token.get()).map(id -> new IdType("Patient", id));
        for (Grant grant : scopes.grants()) {
            if (grant.context() != Context.PATIENT || patient.isPresent()) {
                addGrant(rules, grant, patient.orElse(null));
            }
        }
        addOperations(rules, scopes, patient, request);
        if (!usableContexts(patient).isEmpty() && !scopes.isEmpty()) {
            rules.allow("transaction entries checked one by one").transaction().withAnyOperation().andApplyNormalRules();
        }
        return rules.denyAll("no SMART scope of the token permits this request").build();
    }

    /**
     * The SMART v2 permission letters that HAPI's coarser rules cannot tell apart, for a request and for each entry
     * of a transaction or batch Bundle ({@link BundleEntryPermissions}).
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void requireScopeForInteraction(RequestDetails request) {
        Optional<Jwt> token = Caller.token();
        if (token.isEmpty()) {
            return; // the rules refuse it
        }
        SmartScopes scopes = Caller.scopes(token.get());
        Set<Context> contexts = usableContexts(Caller.patient(token.get()).map(id -> new IdType("Patient", id)));
        if (request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION
                && request.getResource() instanceof IBaseBundle bundle) {
            for (BundleEntryPermissions.Needed entry : BundleEntryPermissions.of(request.getFhirContext(), bundle)) {
                if (!scopes.permits(entry.resourceType(), entry.permission(), contexts)) {
                    throw denied(entry.permission(), entry.resourceType(), " (" + entry.location() + ")");
                }
            }
            return;
        }
        Permission needed = needed(request.getRestOperationType());
        String type = request.getResourceName();
        if (needed != null && type != null && !type.isBlank() && !scopes.permits(type, needed, contexts)) {
            throw denied(needed, type, "");
        }
    }

    private static ForbiddenOperationException denied(Permission needed, String type, String where) {
        return new ForbiddenOperationException("Access denied: no SMART scope of the token grants "
                + needed.name().toLowerCase(java.util.Locale.ROOT) + " on " + type + where);
    }

    private static Permission needed(RestOperationTypeEnum operation) {
        if (operation == null) {
            return null;
        }
        return switch (operation) {
            case READ, VREAD, HISTORY_INSTANCE -> Permission.READ;
            case SEARCH_TYPE, HISTORY_TYPE -> Permission.SEARCH;
            case CREATE -> Permission.CREATE;
            case UPDATE, PATCH -> Permission.UPDATE;
            case DELETE -> Permission.DELETE;
            default -> null;
        };
    }

    private static Set<Context> usableContexts(Optional<IdType> patient) {
        return patient.isPresent() ? EnumSet.allOf(Context.class) : SERVER_WIDE;
    }

    private static void addGrant(RuleBuilder rules, Grant grant, IdType patient) {
        String name = grant.context().name().toLowerCase(java.util.Locale.ROOT) + "/" + grant.resourceType();
        Set<Permission> permissions = grant.permissions();
        if (permissions.contains(Permission.READ) || permissions.contains(Permission.SEARCH)) {
            classify(rules.allow(name + " read").read(), grant, patient);
        }
        if (permissions.contains(Permission.CREATE)) {
            classify(rules.allow(name + " create").create(), grant, patient);
        }
        if (permissions.contains(Permission.UPDATE)) {
            classify(rules.allow(name + " update").write(), grant, patient);
            rules.allow(name + " patch").patch().allRequests();
        }
        if (permissions.contains(Permission.DELETE)) {
            classify(rules.allow(name + " delete").delete(), grant, patient);
        }
    }

    private static void classify(IAuthRuleBuilderRuleOp op, Grant grant, IdType patient) {
        IAuthRuleBuilderRuleOpClassifier target =
                "*".equals(grant.resourceType()) ? op.allResources() : op.resourcesOfType(grant.resourceType());
        if (grant.context() == Context.PATIENT) {
            target.inCompartment("Patient", patient);
        } else {
            target.withAnyId();
        }
    }

    private void addOperations(RuleBuilder rules, SmartScopes scopes, Optional<IdType> patient, RequestDetails request) {
        if (patient.isPresent() && scopes.permits("Patient", Permission.READ, EnumSet.of(Context.PATIENT))) {
            rules.allow("$everything of the launch patient").operation().named("$everything")
                    .onInstance(patient.get()).andRequireExplicitResponseAuthorization();
            rules.allow("outcome summary of the launch patient").operation().named(OUTCOME_SUMMARY)
                    .onInstance(patient.get()).andAllowAllResponses();
            carePlanOfPatient(request, patient.get()).ifPresent(carePlan -> rules
                    .allow("outcome summary of a care plan of the launch patient").operation()
                    .named(OUTCOME_SUMMARY).onInstance(carePlan).andAllowAllResponses());
        }
        if (scopes.permits("Patient", Permission.READ, SERVER_WIDE)) {
            rules.allow("$everything").operation().named("$everything")
                    .onInstancesOfType(Patient.class).andRequireExplicitResponseAuthorization();
            rules.allow("outcome summary of a patient").operation().named(OUTCOME_SUMMARY)
                    .onInstancesOfType(Patient.class).andAllowAllResponses();
            rules.allow("outcome summary of a care plan").operation().named(OUTCOME_SUMMARY)
                    .onInstancesOfType(CarePlan.class).andAllowAllResponses();
        }
        if (scopes.permitsAllTypes(Permission.READ, SERVER_WIDE)) {
            for (String operation : READ_ONLY_OPERATIONS) {
                rules.allow("read-only operation " + operation).operation().named(operation).atAnyLevel()
                        .andAllowAllResponses();
            }
            rules.allow("cohort outcome summary").operation().named(OUTCOME_SUMMARY).onServer().andAllowAllResponses();
            rules.allow("cohort outcome summary of a group").operation().named(OUTCOME_SUMMARY)
                    .onInstancesOfType(Group.class).andAllowAllResponses();
        }
        if (Stream.of(Permission.values()).allMatch(permission -> scopes.permitsAllTypes(permission, SERVER_WIDE))) {
            // a token that may do everything to every resource (user/*.cruds, system/*.cruds) may run every
            // operation but Bulk Data export (system scopes only); the resources an operation stores still pass the
            // write rules
            if (!scopes.permitsAllTypes(Permission.READ, EnumSet.of(Context.SYSTEM))) {
                rules.deny("bulk export needs a system scope").operation().named("$export").atAnyLevel()
                        .andAllowAllResponses();
            }
            if (!mayImport(scopes)) {
                rules.deny("bulk import needs a system scope").operation().named("$import").atAnyLevel()
                        .andAllowAllResponses();
                rules.deny("bulk import status needs a system scope").operation().named("$import-poll-status")
                        .atAnyLevel().andAllowAllResponses();
            }
            rules.allow("every operation").operation().withAnyName().atAnyLevel().andAllowAllResponses();
        }
        if (scopes.permitsAllTypes(Permission.READ, EnumSet.of(Context.SYSTEM))) {
            rules.allow("bulk export").bulkExport().any();
            rules.allow("bulk export, system").operation().named("$export").onServer().andAllowAllResponses();
            rules.allow("bulk export, patients").operation().named("$export").onType(Patient.class).andAllowAllResponses();
            rules.allow("bulk export, group").operation().named("$export")
                    .onInstancesOfType(Group.class).andAllowAllResponses();
            rules.allow("bulk export status").operation().named("$export-poll-status").onServer().andAllowAllResponses();
        }
        if (mayImport(scopes)) {
            // the imported resources are then stored by the server, through every check of a client's write
            rules.allow("bulk import").operation().named("$import").onServer().andAllowAllResponses();
            rules.allow("bulk import status").operation().named("$import-poll-status").onServer().andAllowAllResponses();
        }
        if (scopes.grants().stream().anyMatch(grant -> usableContexts(patient).contains(grant.context()))) {
            // $validate stores nothing and returns only an OperationOutcome about the submitted resource
            rules.allow("$validate").operation().named("$validate").onAnyType().andAllowAllResponses();
        }
    }

    /** Bulk Data {@code $import} creates and updates any resource type: it needs system create and update on all. */
    private static boolean mayImport(SmartScopes scopes) {
        return scopes.permitsAllTypes(Permission.CREATE, EnumSet.of(Context.SYSTEM))
                && scopes.permitsAllTypes(Permission.UPDATE, EnumSet.of(Context.SYSTEM));
    }

    /** A CarePlan outcome summary asked by a patient-context token: allowed when the plan is that patient's. */
    private Optional<IdType> carePlanOfPatient(RequestDetails request, IdType patient) {
        if (!"CarePlan".equals(request.getResourceName()) || !OUTCOME_SUMMARY.equals(request.getOperation())
                || request.getId() == null || !request.getId().hasIdPart()) {
            return Optional.empty();
        }
        IdType carePlanId = new IdType("CarePlan", request.getId().getIdPart());
        try {
            CarePlan carePlan = (CarePlan) daos.getResourceDao("CarePlan").read(carePlanId, new SystemRequestDetails());
            String subject = carePlan.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue();
            return patient.toUnqualifiedVersionless().getValue().equals(subject) ? Optional.of(carePlanId) : Optional.empty();
        } catch (BaseServerResponseException notFoundOrGone) {
            return Optional.empty();
        }
    }
}
