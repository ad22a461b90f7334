package org.ketafhir.ig;

/**
 * The guide's validator module ({@link PooledInstanceValidator}), held as a bean of its own type: HAPI looks its
 * instance validator module up by type, so the module itself is not a bean.
 */
record GuideValidatorModule(PooledInstanceValidator module) {

    /**
     * Forgets what the validator has fetched or resolved (HAPI's validation support chain and worker context, the
     * kept core validators), misses included: the next validation reads the stored conformance resources again.
     */
    void invalidateCaches() {
        module.invalidateCaches();
    }
}
