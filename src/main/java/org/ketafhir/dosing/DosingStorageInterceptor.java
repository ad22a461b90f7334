package org.ketafhir.dosing;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.ketafhir.dosing.DosingFacts.Session;
import org.ketafhir.server.BulkImportWrites;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;

/**
 * Checks dosing sessions as they are stored, by a create, an update or a transaction entry; registered on HAPI's JPA
 * interceptor service, after the guide's profile check ({@code ProfileEnforcingInterceptor}, order -100).
 *
 * <ul>
 *   <li>PRESTORAGE: when the patient's body weight is already stored, the dose per kg and the weight used are put on
 *       the session before it is written; the session's reading window is noted for the transaction, so that the
 *       rules read the readings of all the patient's sessions in it with one search.</li>
 *   <li>PRECOMMIT (deferred by HAPI to the end of a transaction Bundle, so readings sent in the same Bundle count and
 *       {@code urn:uuid} references are resolved): all rules run. An error throws 422 and the database transaction,
 *       the whole Bundle included, rolls back. Otherwise, if the weight arrived in the same Bundle, the session is
 *       stored again with its dose per kg; warnings and overrides are recorded in the session's DetectedIssue and
 *       kept on the request for {@link DosingWarningsInterceptor}.</li>
 * </ul>
 */
@Interceptor
final class DosingStorageInterceptor {

    static final int ORDER = 0;
    /** RequestDetails user data: the warnings of the sessions stored by this request. */
    static final String WARNINGS = DosingStorageInterceptor.class.getName() + ".warnings";

    private final DosingRules rules;
    private final DosingSessions sessions;
    private final DosingRecords records;

    DosingStorageInterceptor(DosingRules rules, DosingSessions sessions, DosingRecords records) {
        this.rules = rules;
        this.sessions = sessions;
        this.records = records;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = ORDER)
    public void creating(IBaseResource resource, TransactionDetails transaction) {
        prepare(resource, transaction);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = ORDER)
    public void updating(IBaseResource previous, IBaseResource resource, TransactionDetails transaction) {
        prepare(resource, transaction);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = ORDER)
    public void created(IBaseResource resource, RequestDetails request, TransactionDetails transaction) {
        check(resource, request, transaction);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = ORDER)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request,
            TransactionDetails transaction) {
        check(resource, request, transaction);
    }

    /** The session's DetectedIssue goes with it (it refers to the session, which could not be deleted otherwise). */
    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = ORDER)
    public void deleting(IBaseResource resource, TransactionDetails transaction) {
        if (resource instanceof MedicationAdministration administration
                && sessions.medicationOf(administration).isPresent()) {
            records.deleteIssue(DosingOutcomes.issueId(administration.getIdElement().getIdPart()), transaction);
        }
    }

    private void prepare(IBaseResource resource, TransactionDetails transaction) {
        if (!(resource instanceof MedicationAdministration administration)) {
            return;
        }
        Optional<Session> session = sessions.read(administration);
        Optional<String> patient = DosingRecords.patientOf(administration);
        if (session.isEmpty() || patient.isEmpty()) {
            return;
        }
        records.expect(patient.get(), session.get(), transaction);
        DosingRules.Evaluation weighed = rules.weigh(session.get(),
                records.latestWeight(patient.get(), session.get().start()));
        DosingSessions.record(administration, weighed.mgPerKg(), weighed.weightUsed());
    }

    private void check(IBaseResource resource, RequestDetails request, TransactionDetails transaction) {
        if (!(resource instanceof MedicationAdministration administration)) {
            return;
        }
        String sessionId = administration.getIdElement().getIdPart();
        Optional<Session> session = sessions.read(administration);
        if (session.isEmpty()) {
            if (sessions.medicationOf(administration).isPresent()) {
                // entered-in-error or not-done: its warnings no longer stand
                records.cancelIssue(DosingOutcomes.issueId(sessionId), transaction);
            }
            return;
        }
        Optional<String> patient = DosingRecords.patientOf(administration);
        if (patient.isEmpty()) {
            throw DosingOutcomes.refusal("Dosing session refused: the dosing rules need the session's patient;"
                    + " subject '" + administration.getSubject().getReference() + "' is not a Patient reference");
        }
        DosingRules.Evaluation evaluation = rules.evaluate(records.facts(administration, session.get(), patient.get(),
                transaction));
        if (!evaluation.errors().isEmpty()) {
            // a $import reports refusals per source file: the id tells which line was refused
            throw DosingOutcomes.refusal(BulkImportWrites.isImportWrite(request) && sessionId != null
                    ? "Dosing session MedicationAdministration/" + sessionId
                    : "Dosing session", evaluation.errors());
        }
        // The dose per kg is written on the session before it is stored (see prepare) when its weight is already on
        // file. A weight that arrives in the same transaction Bundle counts for the rules here, but the session is
        // not stored a second time to add the dose per kg: HAPI 8.8 fails at commit ("collection with two open
        // sessions" on a tag definition) when a tagged resource is updated twice in one transaction while other
        // transactions run.
        List<Finding> warnings = evaluation.warnings();
        if (warnings.isEmpty()) {
            records.cancelIssue(DosingOutcomes.issueId(sessionId), transaction);
            return;
        }
        records.saveIssue(DosingOutcomes.detectedIssue(sessionId, patient.get(), warnings,
                DosingSessions.overrideReasons(administration), new Date()), transaction);
        if (request != null) {
            @SuppressWarnings("unchecked")
            List<Finding> kept = (List<Finding>) request.getUserData().computeIfAbsent(WARNINGS, k -> new ArrayList<Finding>());
            kept.addAll(warnings);
        }
    }
}
