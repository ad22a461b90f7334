package org.ketafhir.scoring;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Questionnaire;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictUtil;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.param.HistorySearchDateRangeParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;

/**
 * Reads and writes what the server derives from responses, through HAPI's DAOs. Called from the storage hooks, it
 * passes on the {@link TransactionDetails} of the write that triggered it, so everything joins that database
 * transaction: if the response is refused or rolled back, so are its Observations, Flag and Task.
 *
 * <p>The writes are the server's own, not the client's: they run as a {@link SystemRequestDetails}. A client
 * allowed to submit a questionnaire (a patient app, say) need not be allowed to write Flags, and request-level
 * interceptors (authorization) must not refuse the derived writes. Storage-level interceptors (subscriptions,
 * profile checks) still see them.
 */
final class DerivedResourceStore implements InstrumentResolver.StoredQuestionnaires {

    /** Versions of a deleted resource searched for its last content: the deletion itself and a few before it. */
    private static final int HISTORY_LOOK_BACK = 5;

    private final DaoRegistry daos;
    private final FhirContext fhirContext;

    DerivedResourceStore(DaoRegistry daos, FhirContext fhirContext) {
        this.daos = daos;
        this.fhirContext = fhirContext;
    }

    /** Creates or updates each Observation under its id; an unchanged one keeps its version. */
    void save(List<Observation> observations, TransactionDetails transaction) {
        IFhirResourceDao<Observation> dao = daos.getResourceDao(Observation.class);
        for (Observation observation : observations) {
            dao.update(observation, null, true, false, system(), transaction);
        }
    }

    /** Creates a resource under its id; the caller has checked it does not exist. */
    <T extends IBaseResource> void create(T resource, TransactionDetails transaction) {
        @SuppressWarnings("unchecked")
        IFhirResourceDao<T> dao = (IFhirResourceDao<T>) daos.getResourceDao(resource.getClass());
        dao.update(resource, null, true, false, system(), transaction);
    }

    /**
     * Replaces a resource that was read: its id carries the version read, so a write by someone else in between
     * (a clinician, a concurrent request) refuses this one with 409 instead of being overwritten.
     */
    <T extends IBaseResource> void replace(T resource, TransactionDetails transaction) {
        if (!resource.getIdElement().hasVersionIdPart()) {
            throw new IllegalArgumentException("replace needs the version that was read: " + resource.getIdElement());
        }
        create(resource, transaction);
    }

    /**
     * What is stored under this id: the current resource, or for a deleted one its last version before the
     * deletion ({@code deleted} true; {@code resource} null when even that cannot be read). Empty when nothing was
     * ever stored under the id.
     */
    <T extends IBaseResource> Optional<Stored<T>> latest(Class<T> type, String id) {
        IFhirResourceDao<T> dao = daos.getResourceDao(type);
        IdType resourceId = new IdType(fhirContext.getResourceDefinition(type).getName(), id);
        try {
            return Optional.of(new Stored<>(dao.read(resourceId, system()), false));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (ResourceGoneException e) {
            IBundleProvider history = dao.history(resourceId, (HistorySearchDateRangeParam) null, system());
            T before = history.getResources(0, HISTORY_LOOK_BACK).stream()
                    .filter(type::isInstance)
                    .filter(r -> !(r instanceof IAnyResource any) || ResourceMetadataKeyEnum.DELETED_AT.get(any) == null)
                    .map(type::cast)
                    .findFirst()
                    .orElse(null);
            return Optional.of(new Stored<>(before, true));
        }
    }

    /** A resource as {@link #latest} found it. */
    record Stored<T>(T resource, boolean deleted) {}

    /** Whether a resource with this id was ever stored, deleted or not. */
    boolean everExisted(Class<? extends IBaseResource> type, String id) {
        try {
            daos.getResourceDao(type).read(new IdType(fhirContext.getResourceDefinition(type).getName(), id), system(), true);
            return true;
        } catch (ResourceGoneException e) {
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** Deletes the Observations with these ids that exist; refused (409) when another resource refers to one. */
    void deleteObservations(Collection<String> ids, TransactionDetails transaction) {
        IFhirResourceDao<Observation> dao = daos.getResourceDao(Observation.class);
        for (String id : ids) {
            DeleteConflictList conflicts = new DeleteConflictList();
            dao.delete(new IdType("Observation", id), conflicts, system(), transaction);
            DeleteConflictUtil.validateDeleteConflictsEmptyOrThrowException(fhirContext, conflicts);
        }
    }

    /** Marks the Observations with these ids that exist (and are not deleted) entered-in-error. */
    void markObservationsEnteredInError(Collection<String> ids, TransactionDetails transaction) {
        IFhirResourceDao<Observation> dao = daos.getResourceDao(Observation.class);
        for (String id : ids) {
            Observation observation;
            try {
                observation = dao.read(new IdType("Observation", id), system());
            } catch (ResourceNotFoundException | ResourceGoneException e) {
                continue;
            }
            if (observation.getStatus() != ObservationStatus.ENTEREDINERROR) {
                observation.setStatus(ObservationStatus.ENTEREDINERROR);
                observation.setId(observation.getIdElement().toUnqualifiedVersionless());
                dao.update(observation, null, true, false, system(), transaction);
            }
        }
    }

    /**
     * The stored Questionnaires a response's canonical names: those whose url (and version, if the canonical has
     * one) match, else the one a relative {@code Questionnaire/<id>} reference points to.
     */
    @Override
    public List<Questionnaire> find(String canonical) {
        IFhirResourceDao<Questionnaire> dao = daos.getResourceDao(Questionnaire.class);
        int bar = canonical.indexOf('|');
        String url = bar >= 0 ? canonical.substring(0, bar) : canonical;
        SearchParameterMap byUrl = SearchParameterMap.newSynchronous("url", new UriParam(url));
        if (bar >= 0 && bar < canonical.length() - 1) {
            byUrl.add("version", new TokenParam(canonical.substring(bar + 1)));
        }
        List<Questionnaire> found = dao.search(byUrl, system()).getAllResources().stream()
                .filter(Questionnaire.class::isInstance)
                .map(Questionnaire.class::cast)
                .toList();
        if (!found.isEmpty()) {
            return found;
        }
        IdType reference = new IdType(url);
        if (!reference.hasBaseUrl() && "Questionnaire".equals(reference.getResourceType()) && reference.hasIdPart()) {
            try {
                return List.of(dao.read(reference.toUnqualifiedVersionless(), system()));
            } catch (ResourceNotFoundException | ResourceGoneException e) {
                return List.of();
            }
        }
        return List.of();
    }

    private static SystemRequestDetails system() {
        return new SystemRequestDetails();
    }
}
