package org.ketafhir.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ketafhir.server.BulkImportWrites;

/**
 * Refuses, with 422, a write of a resource that fails one of the guide's profiles: on create and update, directly
 * or as an entry of a transaction (the storage pointcuts fire per entry, inside the database transaction, so a
 * refused entry rolls the whole transaction back). Each resource is validated once, against all the profiles it
 * must meet, by HAPI's instance validator over the JPA validation support (profiles snapshotted once at install,
 * kept in HAPI's validation caches). The outcome names the element of every error. A transaction's entries are
 * checked before its database transaction, in parallel, and their results used here ({@link TransactionEntryChecks}).
 *
 * <p>The server's own writes (outcome scores, safety signals, DetectedIssues, audit events: all written as a
 * {@code SystemRequestDetails}) are not validated again: their factories are tested against the guide's profiles,
 * and validating them cost an eighth of the CPU of an ingest. The writes of a Bulk Data {@code $import} are also
 * {@code SystemRequestDetails}, but carry client data: they are validated like a client's ({@link BulkImportWrites}).
 */
@Interceptor(order = ProfileEnforcingInterceptor.ORDER)
public class ProfileEnforcingInterceptor {

    /** Before the capabilities that derive data from a record (scoring, dosing): they see only valid records. */
    public static final int ORDER = -100;

    private final FhirContext fhirContext;
    private final FhirValidator validator;
    private final GuideProfiles guideProfiles;
    private final AtomicLong validated = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();

    ProfileEnforcingInterceptor(FhirContext fhirContext, FhirValidator validator, GuideProfiles guideProfiles) {
        this.fhirContext = fhirContext;
        this.validator = validator;
        this.guideProfiles = guideProfiles;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = ORDER)
    public void created(IBaseResource resource, RequestDetails request) {
        if (!BulkImportWrites.isServerOwnWrite(request)) {
            enforce(resource, request);
        }
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = ORDER)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        if (!BulkImportWrites.isServerOwnWrite(request)) {
            enforce(resource, request);
        }
    }

    void enforce(IBaseResource resource) {
        enforce(resource, null);
    }

    private void enforce(IBaseResource resource, RequestDetails request) {
        Set<String> profiles = guideProfiles.profilesFor(resource);
        if (profiles.isEmpty()) {
            return;
        }
        ValidationResult result = TransactionEntryChecks.reusable(request, resource, profiles, fhirContext);
        if (result != null) {
            reused.incrementAndGet();
        } else {
            result = validate(resource, profiles);
        }
        List<SingleValidationMessage> errors = result.getMessages().stream()
                .filter(message -> message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();
        if (!errors.isEmpty()) {
            // a $import reports refusals per source file: the id tells which line was refused
            String named = BulkImportWrites.isImportWrite(request) && resource.getIdElement().hasIdPart()
                    ? fhirContext.getResourceType(resource) + "/" + resource.getIdElement().getIdPart()
                    : fhirContext.getResourceType(resource);
            throw new UnprocessableEntityException(fhirContext, outcome(named, profiles, errors));
        }
    }

    /** A transaction entry's check before its database transaction ({@link TransactionEntryChecks}). */
    TransactionEntryChecks.Checked check(IBaseResource resource) {
        Set<String> profiles = guideProfiles.profilesFor(resource);
        if (profiles.isEmpty()) {
            return null;
        }
        String json = TransactionEntryChecks.json(fhirContext, resource);
        return new TransactionEntryChecks.Checked(json, profiles, validate(resource, profiles));
    }

    private ValidationResult validate(IBaseResource resource, Set<String> profiles) {
        validated.incrementAndGet();
        ValidationOptions options = new ValidationOptions();
        profiles.forEach(options::addProfile);
        return validator.validateWithResult(resource, options);
    }

    /** Validations run, and checks made before a transaction that its writes used instead: for tests. */
    long validations() {
        return validated.get();
    }

    long reusedChecks() {
        return reused.get();
    }

    private OperationOutcome outcome(String resource, Set<String> profiles,
            List<SingleValidationMessage> errors) {
        OperationOutcome outcome = new OperationOutcome();
        for (SingleValidationMessage error : errors) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(error.getSeverity() == ResultSeverityEnum.FATAL
                            ? OperationOutcome.IssueSeverity.FATAL
                            : OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(resource + " does not meet " + profiles + ": "
                            + error.getMessage());
            if (error.getLocationString() != null) {
                issue.addExpression(error.getLocationString());
            }
        }
        return outcome;
    }
}
