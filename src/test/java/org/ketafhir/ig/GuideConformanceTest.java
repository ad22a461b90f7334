package org.ketafhir.ig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.hapi.converters.canonical.VersionCanonicalizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.ProfileKnowledgeWorkerR5;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.ImplementationGuide;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the implementation guide in {@code fhir-profiles/} the way a receiving server would, offline.
 *
 * <p>The validation chain holds only the FHIR R4 core definitions, the guide's own conformance
 * resources and in-memory terminology: nothing goes to the network. SNOMED CT, LOINC, RxNorm,
 * ICD-10-CM and NDC cannot be looked up here, so the validator reports their codes as unverifiable
 * (a warning, never an error) and this test checks their syntax and check digits instead.
 */
class GuideConformanceTest {

    private static final Path GUIDE_DIR = Path.of("fhir-profiles");
    private static final Path EXAMPLES_DIR = GUIDE_DIR.resolve("examples");
    private static final Path INVALID_DIR = GUIDE_DIR.resolve("invalid");
    private static final Path EXPECTED_ERRORS = INVALID_DIR.resolve("expected-errors.json");
    private static final Path PACKAGE_MANIFEST = GUIDE_DIR.resolve("package.json");
    private static final Path IMPLEMENTATION_GUIDE = GUIDE_DIR.resolve("ImplementationGuide-ketafhir.json");

    private static final String CANONICAL_BASE = "http://ketafhir.org/fhir";
    private static final String PACKAGE_ID = "ketafhir.ig";
    private static final String PACKAGE_VERSION = "0.1.0";
    private static final String FHIR_VERSION = "4.0.1";

    /**
     * Code systems the guide may use although no CodeSystem resource for them is available offline,
     * each with the syntax its codes must have.
     */
    private static final Map<String, Pattern> EXTERNAL_CODE_SYSTEMS = Map.of(
            "http://snomed.info/sct", Pattern.compile("[1-9]\\d{5,17}"),
            "http://loinc.org", Pattern.compile("(L[APG])?\\d{1,7}-\\d"),
            "http://www.nlm.nih.gov/research/umls/rxnorm", Pattern.compile("[1-9]\\d{0,8}"),
            "http://hl7.org/fhir/sid/icd-10-cm", Pattern.compile("[A-TV-Z]\\d[0-9A-Z](\\.[0-9A-Z]{1,4})?"),
            "http://hl7.org/fhir/sid/ndc", Pattern.compile("\\d{4}-\\d{4}-\\d{2}|\\d{5}-\\d{3}-\\d{2}|\\d{5}-\\d{4}-\\d"));

    private static final String UCUM = "http://unitsofmeasure.org";

    private static final Pattern KEBAB_CASE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PASCAL_CASE = Pattern.compile("[A-Z][A-Za-z0-9]*");
    private static final Pattern RELATIVE_REFERENCE = Pattern.compile("([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    // ---------------------------------------------------------------------------------------------
    // Conformance resources

    @ParameterizedTest(name = "{0}")
    @MethodSource("structureDefinitions")
    void profileShouldGenerateSnapshotWithoutErrors(Path file) {
        StructureDefinition differential = (StructureDefinition) Guide.get().parse(file);
        assertThat(differential.hasSnapshot())
                .as("profiles carry the differential only; the snapshot is generated")
                .isFalse();

        Guide guide = Guide.get();
        WorkerContextValidationSupportAdapter worker =
                WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(guide.support);
        VersionCanonicalizer canonicalizer = new VersionCanonicalizer(FHIR);
        org.hl7.fhir.r5.model.StructureDefinition derived = canonicalizer.structureDefinitionToCanonical(differential);
        org.hl7.fhir.r5.model.StructureDefinition base =
                worker.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class, derived.getBaseDefinition());
        assertThat(base).as("base definition %s", derived.getBaseDefinition()).isNotNull();

        List<ValidationMessage> messages = new ArrayList<>();
        ProfileUtilities generator = new ProfileUtilities(worker, messages, new ProfileKnowledgeWorkerR5(FHIR));
        generator.generateSnapshot(base, derived, derived.getUrl(), null, derived.getName());

        List<String> errors = messages.stream()
                .filter(m -> m.getLevel() == ValidationMessage.IssueSeverity.ERROR
                        || m.getLevel() == ValidationMessage.IssueSeverity.FATAL)
                .map(m -> m.getLocation() + ": " + m.getMessage())
                .toList();
        assertThat(errors).as("snapshot generation errors").isEmpty();
        assertThat(derived.getSnapshot().getElement()).isNotEmpty();

        // Every differential element must have landed in the snapshot, or the profile says less than it seems to.
        Set<String> snapshotIds = derived.getSnapshot().getElement().stream()
                .map(org.hl7.fhir.r5.model.ElementDefinition::getId)
                .collect(Collectors.toSet());
        for (var element : derived.getDifferential().getElement()) {
            assertThat(snapshotIds).as("differential element %s in the snapshot", element.getId()).contains(element.getId());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceFilesExceptExtensionDefinitions")
    void conformanceResourceShouldBeValidAgainstFhirCore(Path file) {
        List<SingleValidationMessage> errors = Guide.get().errors(file, null);
        assertThat(errors).as("validation errors of %s", file).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceFiles")
    void conformanceResourceShouldFollowTheGuideConventions(Path file) {
        Resource resource = Guide.get().parse(file);
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        assertThat(file.getFileName().toString()).isEqualTo(type + "-" + id + ".json");
        assertThat(id).matches(KEBAB_CASE);
        if (resource instanceof MetadataResource canonical) {
            assertThat(canonical.getUrl()).isEqualTo(CANONICAL_BASE + "/" + type + "/" + id);
            assertThat(canonical.getName()).matches(PASCAL_CASE);
            assertThat(canonical.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("searchParameters")
    void searchParameterExpressionShouldFindValuesOfItsTypeInTheExamples(Path file) {
        SearchParameter parameter = (SearchParameter) Guide.get().parse(file);
        IFhirPath fhirPath = FHIR.newFhirPath();
        List<Base> found = new ArrayList<>();
        for (Path example : exampleFiles().toList()) {
            Resource resource = Guide.get().parse(example);
            boolean applies = parameter.getBase().stream().anyMatch(b -> b.getValue().equals(resource.fhirType()));
            if (applies) {
                found.addAll(fhirPath.evaluate(resource, parameter.getExpression(), Base.class));
            }
        }
        assertThat(found).as("values of %s in the examples", parameter.getExpression()).isNotEmpty();
        for (Base value : found) {
            switch (parameter.getType()) {
                case TOKEN -> assertThat(value).isInstanceOfAny(
                        CodeableConcept.class, Coding.class, org.hl7.fhir.r4.model.CodeType.class,
                        org.hl7.fhir.r4.model.Enumeration.class, org.hl7.fhir.r4.model.Identifier.class);
                case REFERENCE -> assertThat(value).isInstanceOfAny(Reference.class, CanonicalType.class);
                case QUANTITY -> assertThat(value).isInstanceOf(Quantity.class);
                case DATE -> assertThat(value).isInstanceOfAny(
                        org.hl7.fhir.r4.model.DateTimeType.class, org.hl7.fhir.r4.model.Period.class,
                        org.hl7.fhir.r4.model.DateType.class, org.hl7.fhir.r4.model.InstantType.class);
                default -> fail("search parameter type %s has no check here", parameter.getType());
            }
        }
        if (parameter.getType() == Enumerations.SearchParamType.REFERENCE) {
            assertThat(parameter.getTarget()).as("reference search parameters name their targets").isNotEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Examples

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleFiles")
    void exampleShouldValidateWithoutErrorsAgainstItsDeclaredProfile(Path file) {
        Resource resource = Guide.get().parse(file);
        assertThat(resource.getMeta().getProfile()).as("meta.profile of %s", file).hasSize(1);
        String profile = resource.getMeta().getProfile().get(0).getValue();
        assertThat(Guide.get().support.fetchStructureDefinition(profile)).as("declared profile %s", profile).isNotNull();

        List<SingleValidationMessage> errors = Guide.get().errors(file, profile);
        assertThat(errors).as("validation errors of %s against %s", file, profile).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleFiles")
    void exampleShouldFollowTheGuideConventionsAndReferenceOnlyOtherExamples(Path file) {
        Resource resource = Guide.get().parse(file);
        String id = resource.getIdElement().getIdPart();
        assertThat(file.getFileName().toString()).isEqualTo(resource.fhirType() + "-" + id + ".json");
        assertThat(id).matches(KEBAB_CASE);

        Set<String> exampleKeys = exampleFiles()
                .map(p -> Guide.get().parse(p))
                .map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .collect(Collectors.toSet());
        for (Reference reference : FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if (!reference.hasReference()) {
                continue;
            }
            String target = reference.getReference();
            assertThat(target).as("reference in %s", file).matches(RELATIVE_REFERENCE);
            assertThat(exampleKeys).as("target of reference %s in %s", target, file).contains(target);
        }
        for (CanonicalType canonical :
                FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, CanonicalType.class)) {
            String url = canonical.getValue().replaceFirst("\\|.*$", "");
            if (url.startsWith(CANONICAL_BASE + "/")) {
                assertThat(Guide.get().conformanceUrls()).as("canonical %s in %s", url, file).contains(url);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void everyProfileShouldHaveAValidExample(Path file) {
        String url = ((StructureDefinition) Guide.get().parse(file)).getUrl();
        List<Path> examples = exampleFiles()
                .filter(p -> Guide.get().parse(p).getMeta().hasProfile(url))
                .toList();
        assertThat(examples).as("examples declaring %s", url).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void negativeExampleShouldFailWithItsNamedError(Path file) {
        String expected = expectedErrors().get(file.getFileName().toString());
        assertThat(expected).as("expected error for %s in %s", file, EXPECTED_ERRORS).isNotBlank();

        Resource resource = Guide.get().parse(file);
        assertThat(resource.getMeta().getProfile()).as("meta.profile of %s", file).hasSize(1);
        String profile = resource.getMeta().getProfile().get(0).getValue();
        List<SingleValidationMessage> errors = Guide.get().errors(file, profile);
        assertThat(errors)
                .as("errors of %s against %s", file, profile)
                .anySatisfy(m -> assertThat(m.getMessage()).contains(expected));
    }

    @Test
    void everyNegativeExampleShouldBeNamedInTheExpectedErrors() {
        Set<String> files = invalidFiles().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(files).as("negative examples").isNotEmpty();
        assertThat(new TreeSet<>(expectedErrors().keySet())).isEqualTo(files);
    }

    // ---------------------------------------------------------------------------------------------
    // Terminology

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFiles")
    void everyCodeShouldComeFromADeclaredCodeSystem(Path file) {
        Resource resource = Guide.get().parse(file);
        List<String> problems = new ArrayList<>();
        var terser = FHIR.newTerser();
        for (Coding coding : terser.getAllPopulatedChildElementsOfType(resource, Coding.class)) {
            checkCode(coding.getSystem(), coding.getCode(), coding.getDisplay(), "Coding", problems);
        }
        for (Quantity quantity : terser.getAllPopulatedChildElementsOfType(resource, Quantity.class)) {
            if (quantity.hasCode() || quantity.hasSystem()) {
                checkCode(quantity.getSystem(), quantity.getCode(), null, "Quantity", problems);
            }
        }
        if (resource instanceof ValueSet valueSet) {
            for (var include : valueSet.getCompose().getInclude()) {
                if (!include.hasSystem()) {
                    continue;
                }
                checkSystemDeclared(include.getSystem(), "ValueSet.compose.include", problems);
                for (var concept : include.getConcept()) {
                    checkCode(include.getSystem(), concept.getCode(), concept.getDisplay(), "ValueSet concept", problems);
                }
            }
        }
        assertThat(problems).as("codes in %s", file).isEmpty();
    }

    private static void checkCode(String system, String code, String display, String where, List<String> problems) {
        if (system == null || code == null) {
            problems.add(where + " " + system + "#" + code + ": a code needs both system and code");
            return;
        }
        Pattern syntax = EXTERNAL_CODE_SYSTEMS.get(system);
        if (syntax != null) {
            if (!syntax.matcher(code).matches()) {
                problems.add(where + " " + system + "#" + code + ": not a well-formed code of that system");
            } else if (system.equals("http://loinc.org") && !code.startsWith("L") && !loincCheckDigitOk(code)) {
                problems.add(where + " " + system + "#" + code + ": wrong LOINC check digit");
            } else if (system.equals("http://snomed.info/sct") && !verhoeffOk(code)) {
                problems.add(where + " " + system + "#" + code + ": wrong SNOMED CT check digit");
            }
            return;
        }
        if (!checkSystemDeclared(system, where, problems)) {
            return;
        }
        Guide guide = Guide.get();
        ConceptValidationOptions options = new ConceptValidationOptions().setValidateDisplay(display != null);
        IValidationSupport.CodeValidationResult result = guide.support.validateCode(
                new ValidationSupportContext(guide.support), options, system, code, display, null);
        if (result == null || !result.isOk()) {
            problems.add(where + " " + system + "#" + code + (display == null ? "" : " '" + display + "'") + ": "
                    + (result == null ? "cannot be checked" : result.getMessage()));
        } else if (display != null && result.getDisplay() != null && !result.getDisplay().equals(display)) {
            problems.add(where + " " + system + "#" + code + ": display '" + display + "' but the code system says '"
                    + result.getDisplay() + "'");
        }
    }

    /** A system is declared when the guide or FHIR core defines it, or it is a known external terminology. */
    private static boolean checkSystemDeclared(String system, String where, List<String> problems) {
        if (EXTERNAL_CODE_SYSTEMS.containsKey(system) || UCUM.equals(system)) {
            return true;
        }
        if (Guide.get().support.fetchCodeSystem(system) != null) {
            return true;
        }
        problems.add(where + " uses undeclared code system " + system);
        return false;
    }

    /** LOINC Mod 10 check digit, as the LOINC users' guide describes it. */
    static boolean loincCheckDigitOk(String code) {
        String[] parts = code.split("-");
        String digits = new StringBuilder(parts[0]).reverse().toString();
        StringBuilder odd = new StringBuilder();
        StringBuilder even = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            (i % 2 == 0 ? odd : even).append(digits.charAt(i));
        }
        String doubled = odd.isEmpty() ? "" : new java.math.BigInteger(odd.toString()).multiply(java.math.BigInteger.TWO).toString();
        int sum = (even + doubled).chars().map(c -> c - '0').sum();
        int check = (10 - sum % 10) % 10;
        return check == Integer.parseInt(parts[1]);
    }

    private static final int[][] VERHOEFF_D = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
        {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
        {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}
    };
    private static final int[][] VERHOEFF_P = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
        {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}
    };

    /** SNOMED CT identifiers end in a Verhoeff check digit. */
    static boolean verhoeffOk(String sctid) {
        int c = 0;
        for (int i = 0; i < sctid.length(); i++) {
            int digit = sctid.charAt(sctid.length() - 1 - i) - '0';
            c = VERHOEFF_D[c][VERHOEFF_P[i % 8][digit]];
        }
        return c == 0;
    }

    @Test
    void checkDigitRulesShouldAcceptKnownCodesAndRejectTypos() {
        // Worked by hand: 44261-6 (PHQ-9 total) and 8480-6 (systolic BP) are published LOINC codes.
        assertThat(loincCheckDigitOk("44261-6")).isTrue();
        assertThat(loincCheckDigitOk("8480-6")).isTrue();
        assertThat(loincCheckDigitOk("44261-5")).isFalse();
        // 138875005 is the SNOMED CT root concept; 47625008 is intravenous route.
        assertThat(verhoeffOk("138875005")).isTrue();
        assertThat(verhoeffOk("47625008")).isTrue();
        assertThat(verhoeffOk("47625009")).isFalse();
    }

    // ---------------------------------------------------------------------------------------------
    // Package

    @ParameterizedTest(name = "{0}")
    @MethodSource("packagedFiles")
    void implementationGuideShouldListFile(Path file) {
        Resource resource = Guide.get().parse(file);
        String key = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        ImplementationGuide.ImplementationGuideDefinitionResourceComponent entry = implementationGuide().getDefinition()
                .getResource().stream()
                .filter(r -> key.equals(r.getReference().getReference()))
                .findFirst()
                .orElse(null);
        assertThat(entry).as("ImplementationGuide entry for %s", key).isNotNull();
        boolean isExample = file.startsWith(EXAMPLES_DIR);
        assertThat(entry.hasExample()).as("example flag of %s", key).isEqualTo(isExample);
        if (isExample && entry.hasExampleCanonicalType()) {
            assertThat(resource.getMeta().hasProfile(entry.getExampleCanonicalType().getValue()))
                    .as("exampleCanonical of %s is its declared profile", key)
                    .isTrue();
        }
    }

    @Test
    void implementationGuideShouldListOnlyResourcesThatExist() {
        Set<String> packaged = packagedFiles()
                .map(p -> Guide.get().parse(p))
                .map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .collect(Collectors.toSet());
        List<String> listed = implementationGuide().getDefinition().getResource().stream()
                .map(r -> r.getReference().getReference())
                .toList();
        assertThat(listed).doesNotHaveDuplicates();
        assertThat(packaged).containsAll(listed);
    }

    @Test
    void packageManifestShouldDescribeTheGuide() throws IOException {
        JsonNode manifest = JSON.readTree(PACKAGE_MANIFEST.toFile());
        ImplementationGuide ig = implementationGuide();
        assertThat(manifest.path("name").asText()).isEqualTo(PACKAGE_ID).isEqualTo(ig.getPackageId());
        assertThat(manifest.path("version").asText()).isEqualTo(PACKAGE_VERSION).isEqualTo(ig.getVersion());
        assertThat(manifest.path("canonical").asText()).isEqualTo(CANONICAL_BASE);
        assertThat(manifest.path("fhirVersions")).hasSize(1);
        assertThat(manifest.path("fhirVersions").get(0).asText()).isEqualTo(FHIR_VERSION);
        assertThat(ig.getFhirVersion()).extracting(v -> v.getValueAsString()).containsExactly(FHIR_VERSION);
        assertThat(manifest.path("dependencies").path("hl7.fhir.r4.core").asText()).isEqualTo(FHIR_VERSION);
        assertThat(manifest.path("title").asText()).isNotBlank();
        assertThat(manifest.path("description").asText()).isNotBlank();
    }

    // ---------------------------------------------------------------------------------------------
    // Sources of test cases

    static Stream<Arguments> conformanceFiles() {
        return named(conformancePaths());
    }

    /**
     * Extension definitions are left out of instance validation: validating an Extension StructureDefinition makes the
     * validator of HAPI 8.8 (core 6.7.9) check each context against "other" FHIR versions, and because it takes R4 ("4.0")
     * for a version other than "4.0.1" it tries to download hl7.fhir.r4.core from the package servers, which this test
     * must never contact. Extension definitions are still parsed strictly, snapshotted, checked for conventions and codes,
     * and exercised by the examples that use them.
     */
    static Stream<Arguments> conformanceFilesExceptExtensionDefinitions() {
        return named(conformancePaths().filter(p -> !(Guide.get().parse(p) instanceof StructureDefinition sd
                && "Extension".equals(sd.getType()))));
    }

    static Stream<Arguments> structureDefinitions() {
        return named(conformancePaths().filter(p -> p.getFileName().toString().startsWith("StructureDefinition-")));
    }

    static Stream<Arguments> profiles() {
        return named(conformancePaths()
                .filter(p -> p.getFileName().toString().startsWith("StructureDefinition-"))
                .filter(p -> !"Extension".equals(((StructureDefinition) Guide.get().parse(p)).getType())));
    }

    static Stream<Arguments> searchParameters() {
        return named(conformancePaths().filter(p -> p.getFileName().toString().startsWith("SearchParameter-")));
    }

    static Stream<Path> exampleFiles() {
        return jsonFiles(EXAMPLES_DIR);
    }

    static Stream<Path> invalidFiles() {
        return jsonFiles(INVALID_DIR).filter(p -> !p.equals(EXPECTED_ERRORS));
    }

    static Stream<Path> packagedFiles() {
        return Stream.concat(conformancePaths().filter(p -> !p.equals(IMPLEMENTATION_GUIDE)), exampleFiles());
    }

    static Stream<Path> allFiles() {
        return Stream.of(conformancePaths(), exampleFiles(), invalidFiles()).flatMap(s -> s);
    }

    /** Top-level FHIR resources of the guide (package.json is the npm manifest, not a resource). */
    private static Stream<Path> conformancePaths() {
        return jsonFiles(GUIDE_DIR).filter(p -> !p.equals(PACKAGE_MANIFEST));
    }

    private static Stream<Path> jsonFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Arguments> named(Stream<Path> paths) {
        return paths.map(p -> Arguments.of(Named.of(GUIDE_DIR.relativize(p).toString(), p)));
    }

    private static Map<String, String> expectedErrors() {
        try {
            Map<String, String> expected = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = JSON.readTree(EXPECTED_ERRORS.toFile()).fields();
            fields.forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
            return expected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImplementationGuide implementationGuide() {
        return (ImplementationGuide) Guide.get().parse(IMPLEMENTATION_GUIDE);
    }

    /**
     * Serves the guide's Questionnaires, which PrePopulatedValidationSupport does not hold, so that the validator checks
     * every QuestionnaireResponse example against its instrument (linkIds, answer options, types).
     */
    private static final class GuideQuestionnaires implements IValidationSupport {
        private final Map<String, Questionnaire> byUrl = new LinkedHashMap<>();

        GuideQuestionnaires(List<Resource> resources) {
            resources.stream()
                    .filter(Questionnaire.class::isInstance)
                    .map(Questionnaire.class::cast)
                    .forEach(q -> byUrl.put(q.getUrl(), q));
        }

        @Override
        public FhirContext getFhirContext() {
            return FHIR;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends IBaseResource> T fetchResource(Class<T> type, String url) {
            if (url == null || (type != null && !type.isAssignableFrom(Questionnaire.class))) {
                return null;
            }
            Questionnaire questionnaire = byUrl.get(url.replaceFirst("\\|.*$", ""));
            return questionnaire == null ? null : (type == null ? (T) questionnaire : type.cast(questionnaire));
        }

        @Override
        public String getName() {
            return "KetaFHIR guide Questionnaires";
        }
    }

    /** The guide loaded once into an offline validation chain. */
    static final class Guide {
        private static Guide instance;

        final ValidationSupportChain support;
        final FhirValidator validator;
        private final Map<Path, Resource> parsed = new LinkedHashMap<>();

        static synchronized Guide get() {
            if (instance == null) {
                instance = new Guide();
            }
            return instance;
        }

        private Guide() {
            PrePopulatedValidationSupport guideResources = new PrePopulatedValidationSupport(FHIR);
            conformancePaths().forEach(p -> guideResources.addResource(parse(p)));
            // No RemoteTerminologyServiceValidationSupport: the validator must never go to the network.
            // ValidationSupportChain caches by itself in HAPI 8, so no CachingValidationSupport around it.
            support = new ValidationSupportChain(
                    new DefaultProfileValidationSupport(FHIR),
                    guideResources,
                    new GuideQuestionnaires(conformancePaths().map(this::parse).toList()),
                    new CommonCodeSystemsTerminologyService(FHIR),
                    new InMemoryTerminologyServerValidationSupport(FHIR),
                    new SnapshotGeneratingValidationSupport(FHIR));
            FhirInstanceValidator module = new FhirInstanceValidator(support);
            // Extensions must be defined (by the guide or core), so a mistyped extension URL is an error.
            module.setAnyExtensionsAllowed(false);
            module.setErrorForUnknownProfiles(true);
            validator = FHIR.newValidator().registerValidatorModule(module);
        }

        synchronized Resource parse(Path file) {
            return parsed.computeIfAbsent(file, p -> {
                try {
                    // Strict: an unknown or misspelt element is an error, not silently dropped.
                    return (Resource) FHIR.newJsonParser()
                            .setParserErrorHandler(new StrictErrorHandler())
                            .parseResource(Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        Set<String> conformanceUrls() {
            return conformancePaths()
                    .map(this::parse)
                    .filter(r -> r instanceof MetadataResource)
                    .map(r -> ((MetadataResource) r).getUrl())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }

        /** ERROR and FATAL messages of validating the file as it is on disk (against the profile, if given). */
        List<SingleValidationMessage> errors(Path file, String profile) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ValidationOptions options = new ValidationOptions();
            if (profile != null) {
                options.addProfile(profile);
            }
            return validator.validateWithResult(text, options).getMessages().stream()
                    .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                            || m.getSeverity() == ResultSeverityEnum.FATAL)
                    .toList();
        }
    }
}
