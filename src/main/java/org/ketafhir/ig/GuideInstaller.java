package org.ketafhir.ig;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImplementationGuide;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;
import org.ketafhir.server.StartupOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;

/**
 * Installs the guide's NPM package ({@link GuidePackage}, from the application's own classpath): its conformance
 * resources are stored (and served) like any other resource, under the guide's own ids
 * ({@code StructureDefinition/dosing-session}, which the guide's references use), its SearchParameters become active,
 * and the JPA validation support finds its profiles. Nothing is fetched from the network (the package has no
 * dependencies to fetch; the R4 core definitions ship with HAPI).
 *
 * <p>The resources are stored with one FHIR transaction through HAPI's system DAO: every resource (and the
 * ImplementationGuide last, tagged with the package's SHA-256) commits together or not at all, and a later start that
 * finds the guide with the same digest skips the work. HAPI's package installer, used until 2026-12-06, stored the
 * package in its NPM package tables and then each resource in a transaction of its own, rebuilding the
 * search-parameter registry after each SearchParameter: about 7 s of a new database's 9 s start-up work on this
 * 2-core machine, and a crash between two resources left part of a guide. The validator reads the stored resources;
 * it needed the package tables only when its caches kept misses from before a profile was committed, which the
 * installer now clears after the commit. The ImplementationGuide is stored without its example entries, which point at
 * example records that a clinic database does not hold (the examples stay in the package for other systems).
 *
 * <p>On a database that holds no resource yet (the first start), HAPI's reindex request for each new
 * SearchParameter is skipped: there is nothing a search parameter could index, and each request is a batch job that
 * would run beside the first clients. A later installation (a new guide version on a database with records) keeps
 * HAPI's reindexing. HAPI stores the concepts of larger code systems from a scheduled job; the guide's are stored
 * before the installation ends, so the codes its profiles bind to are checked against complete tables from the first
 * request.
 */
@Order(StartupOrder.DATA)
class GuideInstaller implements ApplicationRunner {

    /** Conformance resources the server stores from the package, in this order; examples are not stored. */
    static final List<String> INSTALLED_TYPES = List.of(
            "CodeSystem", "ValueSet", "StructureDefinition", "SearchParameter", "Questionnaire",
            "OperationDefinition", "Measure");
    static final String PACKAGE_DIGEST_SYSTEM = "http://ketafhir.org/fhir/package-sha256";

    private static final Logger log = LoggerFactory.getLogger(GuideInstaller.class);

    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final IFhirResourceDao<ImplementationGuide> guideDao;
    private final GuidePackage guidePackage;
    private final JpaStorageSettings storageSettings;
    private final IResourceTableDao storedResources;
    private final ITermDeferredStorageSvc deferredTerminology;
    private final ISearchParamRegistry searchParameters;
    private final GuideValidatorModule validator;
    private final ObjectProvider<ValidatorWarmUp> warmUp;

    GuideInstaller(IFhirSystemDao<Bundle, Meta> systemDao, IFhirResourceDao<ImplementationGuide> guideDao,
            GuidePackage guidePackage, JpaStorageSettings storageSettings, IResourceTableDao storedResources,
            ITermDeferredStorageSvc deferredTerminology, ISearchParamRegistry searchParameters,
            GuideValidatorModule validator, ObjectProvider<ValidatorWarmUp> warmUp) {
        this.systemDao = systemDao;
        this.guideDao = guideDao;
        this.guidePackage = guidePackage;
        this.storageSettings = storageSettings;
        this.storedResources = storedResources;
        this.deferredTerminology = deferredTerminology;
        this.searchParameters = searchParameters;
        this.validator = validator;
        this.warmUp = warmUp;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<ImplementationGuide> guides = guidePackage.resources(ImplementationGuide.class);
        if (guides.isEmpty()) {
            throw new IllegalStateException("The package " + guidePackage + " holds no ImplementationGuide resource");
        }
        ImplementationGuide guide = guides.get(0);
        String digest = sha256(guidePackage.contents());
        if (alreadyInstalled(guide.getUrl(), digest)) {
            log.info("Implementation guide {} already installed (package sha256 {})", guidePackage, digest);
            return;
        }

        long started = System.nanoTime();
        guide.getDefinition().getResource().removeIf(entry -> entry.hasExample());
        guide.getMeta().addTag(PACKAGE_DIGEST_SYSTEM, digest, "Installed package digest");
        Bundle transaction = transaction(guide);
        boolean reindex = storageSettings.isMarkResourcesForReindexingUponSearchParameterChange();
        boolean emptyDatabase = storedResources.count() == 0;
        if (emptyDatabase) {
            storageSettings.setMarkResourcesForReindexingUponSearchParameterChange(false);
        }
        try {
            systemDao.transaction(new SystemRequestDetails(), transaction);
            deferredTerminology.saveAllDeferred();
        } finally {
            storageSettings.setMarkResourcesForReindexingUponSearchParameterChange(reindex);
        }
        searchParameters.forceRefresh();
        // HAPI invalidates the validator's caches as each profile is written, before the transaction commits: a
        // look-up meanwhile (the warm-up's) found no profile yet and kept the miss. Forgotten once the guide is
        // committed and the warm-up has ended, so no validation can keep one.
        warmUp.ifAvailable(ValidatorWarmUp::awaitEnd);
        validator.invalidateCaches();
        log.info("Implementation guide {} installed from {} ({} resources) in {} ms", guidePackage,
                guidePackage.source(), transaction.getEntry().size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Every installed resource of the package as an update by its id, the guide last. */
    private Bundle transaction(ImplementationGuide guide) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<Resource> resources = guidePackage.resources(Resource.class);
        for (String type : INSTALLED_TYPES) {
            resources.stream().filter(resource -> resource.fhirType().equals(type))
                    .forEach(resource -> put(transaction, resource));
        }
        put(transaction, guide);
        return transaction;
    }

    private static void put(Bundle transaction, Resource resource) {
        String url = resource.fhirType() + "/" + resource.getIdPart();
        transaction.addEntry().setFullUrl(url).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
    }

    private boolean alreadyInstalled(String url, String digest) {
        SearchParameterMap byUrlAndDigest = SearchParameterMap.newSynchronous()
                .add(ImplementationGuide.SP_URL, new UriParam(url))
                .add("_tag", new TokenParam(PACKAGE_DIGEST_SYSTEM, digest));
        return guideDao.search(byUrlAndDigest, new SystemRequestDetails()).size() > 0;
    }

    private static String sha256(byte[] contents) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(contents));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
