package org.ketafhir.ig;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.hl7.fhir.r4.model.ImplementationGuide;
import org.ketafhir.server.StartupOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;

/**
 * Installs the guide's NPM package ({@link GuidePackage}, from the application's own classpath) with HAPI's package
 * installer: the
 * conformance resources are stored (and served) like any other resource, SearchParameters become active, and the
 * JPA validation support finds the profiles. Nothing is fetched from the network (dependencies are not fetched;
 * the R4 core definitions ship with HAPI).
 *
 * <p>The ImplementationGuide resource is stored last, tagged with the package's SHA-256: when a later start finds
 * it with the same digest, the package is already installed and start-up skips the work (snapshots included).
 * It is stored without its example entries, which point at example records that a clinic database does not hold
 * (the examples stay in the package for other systems).
 *
 * <p>On a database that holds no resource yet (the first start), HAPI's reindex request for each new
 * SearchParameter is skipped: there is nothing a search parameter could index, and each request is a batch job that
 * would run beside the first clients. A later installation (a new guide version on a database with records) keeps
 * HAPI's reindexing.
 */
@Order(StartupOrder.DATA)
class GuideInstaller implements ApplicationRunner {

    /** Conformance resources the server stores from the package; examples are not stored. */
    static final List<String> INSTALLED_TYPES = List.of(
            "CodeSystem", "ValueSet", "StructureDefinition", "SearchParameter", "Questionnaire",
            "OperationDefinition", "Measure");
    static final String PACKAGE_DIGEST_SYSTEM = "http://ketafhir.org/fhir/package-sha256";

    private static final Logger log = LoggerFactory.getLogger(GuideInstaller.class);

    private final IPackageInstallerSvc installer;
    private final IFhirResourceDao<ImplementationGuide> guideDao;
    private final GuidePackage guidePackage;
    private final JpaStorageSettings storageSettings;
    private final IResourceTableDao storedResources;
    private final ITermDeferredStorageSvc deferredTerminology;

    GuideInstaller(IPackageInstallerSvc installer, IFhirResourceDao<ImplementationGuide> guideDao,
            GuidePackage guidePackage, JpaStorageSettings storageSettings, IResourceTableDao storedResources,
            ITermDeferredStorageSvc deferredTerminology) {
        this.installer = installer;
        this.guideDao = guideDao;
        this.guidePackage = guidePackage;
        this.storageSettings = storageSettings;
        this.storedResources = storedResources;
        this.deferredTerminology = deferredTerminology;
    }

    @Override
    public void run(ApplicationArguments args) {
        byte[] contents = guidePackage.contents();
        List<ImplementationGuide> guides = guidePackage.resources(ImplementationGuide.class);
        if (guides.isEmpty()) {
            throw new IllegalStateException("The package " + guidePackage + " holds no ImplementationGuide resource");
        }
        ImplementationGuide guide = guides.get(0);
        String digest = sha256(contents);
        if (alreadyInstalled(guide.getUrl(), digest)) {
            log.info("Implementation guide {} already installed (package sha256 {})", guidePackage, digest);
            return;
        }

        long started = System.nanoTime();
        PackageInstallationSpec spec = new PackageInstallationSpec()
                .setName(guidePackage.name())
                .setVersion(guidePackage.version())
                .setPackageContents(contents)
                .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
                .setFetchDependencies(false)
                // keep the guide's own ids (StructureDefinition/dosing-session), which the guide's references use
                .setVersionPolicy(PackageInstallationSpec.VersionPolicyEnum.SINGLE_VERSION);
        spec.setInstallResourceTypes(INSTALLED_TYPES);
        boolean reindex = storageSettings.isMarkResourcesForReindexingUponSearchParameterChange();
        boolean emptyDatabase = storedResources.count() == 0;
        if (emptyDatabase) {
            storageSettings.setMarkResourcesForReindexingUponSearchParameterChange(false);
        }
        try {
            installer.install(spec);
            // HAPI stores the concepts of larger code systems from a scheduled job; the guide's are stored now, so
            // that the codes its profiles bind to are validated against complete tables from the first request
            deferredTerminology.saveAllDeferred();
        } finally {
            storageSettings.setMarkResourcesForReindexingUponSearchParameterChange(reindex);
        }

        guide.getDefinition().getResource().removeIf(entry -> entry.hasExample());
        guide.getMeta().addTag(PACKAGE_DIGEST_SYSTEM, digest, "Installed package digest");
        guideDao.update(guide, new SystemRequestDetails());
        log.info("Implementation guide {} installed from {} in {} ms", guidePackage, guidePackage.source(),
                (System.nanoTime() - started) / 1_000_000);
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
