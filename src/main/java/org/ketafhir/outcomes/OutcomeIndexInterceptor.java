package org.ketafhir.outcomes;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Keeps the outcome index in step with storage: at pre-commit, inside the database transaction of the write, so a
 * write and its index rows commit or roll back together (a refused transaction Bundle leaves no rows behind).
 */
@Interceptor
final class OutcomeIndexInterceptor {

    private final OutcomeIndex index;
    private final OutcomeFactExtractor extractor;

    OutcomeIndexInterceptor(OutcomeIndex index, OutcomeFactExtractor extractor) {
        this.index = index;
        this.extractor = extractor;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        String type = resource.fhirType();
        if (OutcomeFactExtractor.TYPES.contains(type)) {
            index.insert(type, resource.getIdElement().getIdPart(), extractor.extract(resource));
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        store(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        String type = resource.fhirType();
        if (OutcomeFactExtractor.TYPES.contains(type)) {
            index.delete(type, resource.getIdElement().getIdPart());
        }
    }

    void store(IBaseResource resource) {
        String type = resource.fhirType();
        if (OutcomeFactExtractor.TYPES.contains(type)) {
            index.replace(type, resource.getIdElement().getIdPart(), extractor.extract(resource));
        }
    }
}
