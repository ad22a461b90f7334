package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketafhir.testing.ServerProcess;
import org.ketafhir.testing.TestDatabase;
import org.ketafhir.testing.TestTokens;

/**
 * The server with authorization on (the packaged jar, started once for this class, trusting the test issuer of
 * {@link TestTokens}): the SMART deny matrix, refused tokens, the audit trail and the input limits.
 */
class SecurityIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int MAX_REQUEST_BYTES = 1_048_576;
    private static final String ALLOWED_ORIGIN = "https://app.example.org";

    private static ServerProcess server;
    private static String own;
    private static String other;
    private static String ownObservation;
    private static String otherObservation;

    @BeforeAll
    static void startSecuredServer() throws Exception {
        Map<String, String> properties = new LinkedHashMap<>(TestDatabase.fresh("secured"));
        properties.putAll(TestTokens.serverProperties());
        properties.put("ketafhir.security.max-request-size", MAX_REQUEST_BYTES + "B");
        properties.put("ketafhir.security.cors-allowed-origins", ALLOWED_ORIGIN);
        properties.put("ketafhir.security.token-endpoint", "https://auth.example.org/token");
        properties.put("ketafhir.security.authorization-endpoint", "https://auth.example.org/authorize");
        server = ServerProcess.start("secured", properties);
        own = create("/Patient", patient("Own"));
        other = create("/Patient", patient("Other"));
        ownObservation = create("/Observation", observation(own));
        otherObservation = create("/Observation", observation(other));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The deny matrix: 7 scope kinds x (6 interactions x own / other compartment + bulk export) = 91 cases.

    enum Scope {
        PATIENT_V2_CRUDS("launch/patient patient/*.cruds", true),
        PATIENT_V1_READ("launch/patient patient/*.read", true),
        USER_READ("openid fhirUser user/*.rs", false),
        USER_WRITE("openid fhirUser user/*.cruds", false),
        SYSTEM_READ("system/*.rs", false),
        SYSTEM_WRITE("system/*.cruds", false),
        NO_CLINICAL_SCOPE("openid fhirUser launch/patient", true);

        final String scope;
        final boolean launchPatient;

        Scope(String scope, boolean launchPatient) {
            this.scope = scope;
            this.launchPatient = launchPatient;
        }

        String token() {
            TestTokens.Builder token = TestTokens.builder().scope(scope).subject("matrix-" + name());
            return launchPatient ? token.patient(own).sign() : token.sign();
        }
    }

    enum Interaction { READ, SEARCH, CREATE, UPDATE, DELETE, EVERYTHING, EXPORT }

    private static final int ALLOW = 1;
    private static final int DENY = 0;

    /**
     * Expected from SMART App Launch 2.x: patient/ scopes reach only the launch patient's compartment; .read (v1) and
     * .rs (v2) grant no writes; user/ and system/ reach every compartment; Bulk Data export needs system/ scopes;
     * no clinical scope grants nothing. Columns: read, search, create, update, delete, $everything (own, other)
     * then export.
     */
    private static final Map<Scope, int[]> EXPECTED = Map.of(
            Scope.PATIENT_V2_CRUDS, new int[] {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0},
            Scope.PATIENT_V1_READ, new int[] {1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0},
            Scope.USER_READ, new int[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0},
            Scope.USER_WRITE, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0},
            Scope.SYSTEM_READ, new int[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1},
            Scope.SYSTEM_WRITE, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            Scope.NO_CLINICAL_SCOPE, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Scope scope : Scope.values()) {
            int[] expected = EXPECTED.get(scope);
            int column = 0;
            for (Interaction interaction : Interaction.values()) {
                if (interaction == Interaction.EXPORT) {
                    cases.add(Arguments.of(scope, interaction, "server", expected[column++] == ALLOW));
                } else {
                    cases.add(Arguments.of(scope, interaction, "own", expected[column++] == ALLOW));
                    cases.add(Arguments.of(scope, interaction, "other", expected[column++] == ALLOW));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} allowed={3}")
    @MethodSource("matrix")
    void shouldAllowOrDenyEachInteractionAsTheScopesSay(Scope scope, Interaction interaction, String whose,
            boolean allowed) throws Exception {
        String patient = "other".equals(whose) ? other : own;
        String observation = "other".equals(whose) ? otherObservation : ownObservation;
        String token = scope.token();
        HttpResponse<String> answer = switch (interaction) {
            case READ -> send("GET", "/Observation/" + observation, null, token);
            case SEARCH -> send("GET", "/Observation?subject=Patient/" + patient, null, token);
            case CREATE -> send("POST", "/Observation", json(observation(patient)), token);
            case UPDATE -> {
                Observation changed = observation(patient);
                changed.setId(observation);
                changed.addNote().setText("updated by " + scope);
                yield send("PUT", "/Observation/" + observation, json(changed), token);
            }
            case DELETE -> send("DELETE", "/Observation/" + create("/Observation", observation(patient)), null, token);
            case EVERYTHING -> send("GET", "/Patient/" + patient + "/$everything", null, token);
            case EXPORT -> send("GET", "/$export?_type=Observation", null, token, "Prefer", "respond-async");
        };

        if (allowed) {
            assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
            if (interaction == Interaction.SEARCH || interaction == Interaction.EVERYTHING) {
                Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, answer.body());
                assertThat(bundle.getEntry()).isNotEmpty();
            }
        } else {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
            assertOperationOutcome(answer);
        }
    }

    @Test
    void bulkImportShouldNeedASystemScopeWithCreateAndUpdate() throws Exception {
        // a source nobody serves: an allowed kick-off starts a job that then fails, and stores nothing
        String parameters = """
                {"resourceType":"Parameters","parameter":[
                  {"name":"inputFormat","valueCode":"application/fhir+ndjson"},
                  {"name":"input","part":[{"name":"type","valueCode":"Patient"},
                                          {"name":"url","valueUri":"http://127.0.0.1:9/patients.ndjson"}]}]}""";
        for (String scope : List.of("user/*.cruds", "system/*.rs", "system/Patient.cu")) {
            HttpResponse<String> refused = send("POST", "/$import", parameters,
                    TestTokens.builder().scope(scope).sign(), "Prefer", "respond-async");
            assertThat(refused.statusCode()).as(scope + ": " + refused.body()).isEqualTo(403);
            assertOperationOutcome(refused);
        }

        HttpResponse<String> accepted = send("POST", "/$import", parameters,
                TestTokens.builder().scope("system/*.cu").sign(), "Prefer", "respond-async");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Content-Location")).isPresent();

        // the failed job's status (HAPI's report) is the importer's: another token's poll is refused, not answered 422
        String location = accepted.headers().firstValue("Content-Location").orElseThrow();
        String poll = location.substring(location.indexOf("/$import-poll-status"));
        String importer = TestTokens.builder().scope("system/*.cu").sign();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .dontCatchUncaughtExceptions().until(() -> send("GET", poll, null, importer).statusCode() == 422);
        HttpResponse<String> other = send("GET", poll, null, TestTokens.builder().scope("user/*.cruds").sign());
        assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
        assertOperationOutcome(other);
    }

    @Test
    void shouldNarrowAPatientTokensSearchWithoutPatientToItsOwnCompartment() throws Exception {
        String token = TestTokens.builder().scope("patient/*.rs").patient(own).sign();

        Bundle found = parse(Bundle.class, send("GET", "/Observation?_count=500", null, token));

        assertThat(found.getEntry()).isNotEmpty().allSatisfy(entry -> assertThat(
                ((Observation) entry.getResource()).getSubject().getReference()).isEqualTo("Patient/" + own));
    }

    @Test
    void shouldRefuseAReadWhenOnlySearchIsGrantedAndACreateWhenOnlyUpdateIsGranted() throws Exception {
        String searchOnly = TestTokens.builder().scope("user/Observation.s").sign();
        String updateOnly = TestTokens.builder().scope("user/Observation.u").sign();

        assertThat(send("GET", "/Observation/" + ownObservation, null, searchOnly).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/Observation?subject=Patient/" + own, null, searchOnly).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/Observation", json(observation(own)), updateOnly).statusCode()).isEqualTo(403);
    }

    @Test
    void shouldApplyTheSameLettersToEachEntryOfATransactionOrBatch() throws Exception {
        String createOnly = TestTokens.builder().scope("user/Observation.c").sign();
        String updateOnly = TestTokens.builder().scope("user/Observation.u").sign();
        String searchOnly = TestTokens.builder().scope("user/Observation.s").sign();
        Observation marked = observation(own);
        String mark = UUID.randomUUID().toString();
        marked.addIdentifier().setSystem("urn:ketafhir:security-it").setValue(mark);
        Bundle create = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        create.addEntry().setResource(marked).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");

        HttpResponse<String> refused = send("POST", "", json(create), updateOnly, "Prefer", "return=minimal");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("create on Observation (Bundle.entry[0])");
        assertOperationOutcome(refused);
        assertThat(parse(Bundle.class, send("GET", "/Observation?identifier=urn:ketafhir:security-it%7C" + mark, null,
                TestTokens.fullAccess())).getEntry()).isEmpty();
        HttpResponse<String> created = send("POST", "", json(create), createOnly, "Prefer", "return=minimal");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        String versionBefore = parse(Observation.class, send("GET", "/Observation/" + ownObservation, null,
                TestTokens.fullAccess())).getMeta().getVersionId();
        Observation changed = observation(own);
        changed.setId(ownObservation);
        changed.addNote().setText("changed through a transaction by a create-only token");
        Bundle update = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        update.addEntry().setResource(changed).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Observation/" + ownObservation);
        HttpResponse<String> notUpdated = send("POST", "", json(update), createOnly, "Prefer", "return=minimal");
        assertThat(notUpdated.statusCode()).as(notUpdated.body()).isEqualTo(403);
        assertThat(parse(Observation.class, send("GET", "/Observation/" + ownObservation, null,
                TestTokens.fullAccess())).getMeta().getVersionId()).isEqualTo(versionBefore);

        Bundle read = new Bundle().setType(Bundle.BundleType.BATCH);
        read.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Observation/" + ownObservation);
        Bundle search = new Bundle().setType(Bundle.BundleType.BATCH);
        search.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Observation?subject=Patient/" + own);
        assertThat(send("POST", "", json(read), searchOnly).statusCode()).isEqualTo(403);
        assertThat(send("POST", "", json(search), searchOnly).statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------------------------------------------------
    // PATCH: HAPI lets the PATCH interaction through for any update grant, then applies the write rules to the
    // resource before and after the patch. These cases show what that means for a SMART token.

    private static final String JSON_PATCH = "application/json-patch+json";

    @Test
    void shouldLetAPatientTokenPatchOnlyResourcesInItsOwnCompartment() throws Exception {
        String patientToken = TestTokens.builder().scope("launch/patient patient/*.cruds").patient(own).sign();
        String addNote = "[{\"op\":\"add\",\"path\":\"/note\",\"value\":[{\"text\":\"patched\"}]}]";
        String otherVersion = versionOf("Observation/" + otherObservation);

        HttpResponse<String> ownPatched = send("PATCH", "/Observation/" + ownObservation, addNote, patientToken,
                "Content-Type", JSON_PATCH);
        HttpResponse<String> otherPatched = send("PATCH", "/Observation/" + otherObservation, addNote, patientToken,
                "Content-Type", JSON_PATCH);

        assertThat(ownPatched.statusCode()).as(ownPatched.body()).isEqualTo(200);
        assertThat(otherPatched.statusCode()).as(otherPatched.body()).isEqualTo(403);
        assertOperationOutcome(otherPatched);
        assertThat(versionOf("Observation/" + otherObservation)).isEqualTo(otherVersion);
    }

    @Test
    void shouldRefuseAPatchThatMovesAResourceOutOfTheTokensCompartment() throws Exception {
        String patientToken = TestTokens.builder().scope("launch/patient patient/*.cruds").patient(own).sign();
        String observation = create("/Observation", observation(own));
        String jsonPatch = "[{\"op\":\"replace\",\"path\":\"/subject/reference\",\"value\":\"Patient/" + other + "\"}]";
        org.hl7.fhir.r4.model.Parameters fhirPathPatch = new org.hl7.fhir.r4.model.Parameters();
        org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent operation = fhirPathPatch.addParameter().setName("operation");
        operation.addPart().setName("type").setValue(new org.hl7.fhir.r4.model.CodeType("replace"));
        operation.addPart().setName("path").setValue(new org.hl7.fhir.r4.model.StringType("Observation.subject"));
        operation.addPart().setName("value").setValue(new Reference("Patient/" + other));

        HttpResponse<String> byJsonPatch = send("PATCH", "/Observation/" + observation, jsonPatch, patientToken,
                "Content-Type", JSON_PATCH);
        HttpResponse<String> byFhirPathPatch = send("PATCH", "/Observation/" + observation, json(fhirPathPatch),
                patientToken);

        assertThat(byJsonPatch.statusCode()).as(byJsonPatch.body()).isEqualTo(403);
        assertThat(byFhirPathPatch.statusCode()).as(byFhirPathPatch.body()).isEqualTo(403);
        assertOperationOutcome(byJsonPatch);
        Observation stored = parse(Observation.class, send("GET", "/Observation/" + observation, null, TestTokens.fullAccess()));
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + own);
        assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void shouldRefuseAPatchToATokenThatMayOnlyCreate() throws Exception {
        String addNote = "[{\"op\":\"add\",\"path\":\"/note\",\"value\":[{\"text\":\"by a create-only token\"}]}]";
        String patientCreateOnly = TestTokens.builder().scope("launch/patient patient/Observation.c").patient(own).sign();
        String userCreateOnly = TestTokens.builder().scope("user/Observation.c").sign();
        String version = versionOf("Observation/" + ownObservation);

        for (String token : List.of(patientCreateOnly, userCreateOnly)) {
            HttpResponse<String> patched = send("PATCH", "/Observation/" + ownObservation, addNote, token,
                    "Content-Type", JSON_PATCH);
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(403);
            assertOperationOutcome(patched);
        }
        assertThat(versionOf("Observation/" + ownObservation)).isEqualTo(version);
    }

    @Test
    void shouldApplyTheCompartmentToAPatchInsideATransactionAndToAConditionalPatch() throws Exception {
        String patientToken = TestTokens.builder().scope("launch/patient patient/*.cruds").patient(own).sign();
        String otherVersion = versionOf("Observation/" + otherObservation);
        org.hl7.fhir.r4.model.Parameters addNote = new org.hl7.fhir.r4.model.Parameters();
        org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent operation = addNote.addParameter().setName("operation");
        operation.addPart().setName("type").setValue(new org.hl7.fhir.r4.model.CodeType("add"));
        operation.addPart().setName("path").setValue(new org.hl7.fhir.r4.model.StringType("Observation"));
        operation.addPart().setName("name").setValue(new org.hl7.fhir.r4.model.StringType("note"));
        operation.addPart().setName("value").setValue(new org.hl7.fhir.r4.model.Annotation().setText("in a transaction"));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(addNote).getRequest().setMethod(Bundle.HTTPVerb.PATCH)
                .setUrl("Observation/" + otherObservation);

        HttpResponse<String> inTransaction = send("POST", "", json(transaction), patientToken);
        HttpResponse<String> conditional = send("PATCH", "/Observation?subject=Patient/" + other,
                "[{\"op\":\"add\",\"path\":\"/note\",\"value\":[{\"text\":\"conditional\"}]}]", patientToken,
                "Content-Type", JSON_PATCH);

        assertThat(inTransaction.statusCode()).as(inTransaction.body()).isEqualTo(403);
        assertThat(conditional.statusCode()).as(conditional.body()).isIn(403, 404, 412);
        assertThat(versionOf("Observation/" + otherObservation)).isEqualTo(otherVersion);
    }

    private static String versionOf(String path) throws Exception {
        return parse(Observation.class, send("GET", "/" + path, null, TestTokens.fullAccess())).getMeta().getVersionId();
    }

    @Test
    void shouldLetAPatientTokenSummariseOnlyItsOwnPatientAndCourseAndNoCohort() throws Exception {
        String ownPlan = create("/CarePlan", carePlan(own));
        String otherPlan = create("/CarePlan", carePlan(other));
        String patientToken = TestTokens.builder().scope("patient/*.rs").patient(own).sign();

        assertThat(send("GET", "/Patient/" + own + "/$outcome-summary", null, patientToken).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/CarePlan/" + ownPlan + "/$outcome-summary", null, patientToken).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/Patient/" + other + "/$outcome-summary", null, patientToken).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/CarePlan/" + otherPlan + "/$outcome-summary", null, patientToken).statusCode()).isEqualTo(403);
        // The cohort summary covers every patient: a patient's token may not run it; a user or system token may.
        assertThat(send("GET", "/$outcome-summary", null, patientToken).statusCode()).isEqualTo(403);
        String userToken = TestTokens.builder().scope("user/*.rs").sign();
        assertThat(send("GET", "/$outcome-summary", null, userToken).statusCode()).isEqualTo(200);
    }

    private static CarePlan carePlan(String patient) {
        CarePlan plan = new CarePlan();
        plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.setSubject(new Reference("Patient/" + patient));
        return plan;
    }

    @Test
    void shouldRefuseAPatientScopeWithoutALaunchPatient() throws Exception {
        String token = TestTokens.builder().scope("patient/*.cruds").sign();

        assertThat(send("GET", "/Observation/" + ownObservation, null, token).statusCode()).isEqualTo(403);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tokens that are refused: 401 with an OperationOutcome and a WWW-Authenticate challenge.

    static Stream<Arguments> refusedTokens() {
        return Stream.of(
                Arguments.of("missing", null),
                Arguments.of("expired", TestTokens.builder().scope("system/*.rs")
                        .issuedAgo(Duration.ofHours(2)).lifetime(Duration.ofMinutes(5)).sign()),
                Arguments.of("wrong issuer", TestTokens.builder().scope("system/*.rs")
                        .issuer("https://evil.example.org").sign()),
                Arguments.of("wrong signature", TestTokens.signedByStranger("system/*.rs")),
                Arguments.of("alg none", TestTokens.unsigned("system/*.rs")),
                Arguments.of("tampered payload", tamper(TestTokens.builder().scope("patient/*.rs").patient("1").sign())),
                Arguments.of("garbage", "this-is-not-a-jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void shouldRefuseABadTokenWith401AndAnOperationOutcome(String kind, String token) throws Exception {
        HttpResponse<String> answer = send("GET", "/Observation/" + ownObservation, null, token);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer"));
        assertOperationOutcome(answer);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at org.");
    }

    @Test
    void shouldServeTheDescriptionsWithoutAToken() throws Exception {
        HttpResponse<String> metadata = send("GET", "/metadata", null, null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        CapabilityStatement statement = parse(CapabilityStatement.class, metadata);
        CapabilityStatement.CapabilityStatementRestSecurityComponent security = statement.getRestFirstRep().getSecurity();
        assertThat(security.getServiceFirstRep().getCodingFirstRep().getCode()).isEqualTo("SMART-on-FHIR");
        assertThat(security.getCors()).isTrue();
        assertThat(security.getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris")
                .getExtensionByUrl("token").getValue().primitiveValue()).isEqualTo("https://auth.example.org/token");

        for (String path : List.of("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration")) {
            HttpResponse<String> smart = sendRoot("GET", path, null);
            assertThat(smart.statusCode()).as(path).isEqualTo(200);
            assertThat(smart.body()).contains("\"issuer\":\"" + TestTokens.issuer() + "\"")
                    .contains("\"token_endpoint\":\"https://auth.example.org/token\"")
                    .contains("permission-v2").contains("patient/*.rs");
        }
        assertThat(sendRoot("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertThat(sendRoot("GET", "/fhir/Patient", null).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldAnswerCorsPreflightForTheConfiguredOriginOnly() throws Exception {
        HttpResponse<String> allowed = preflight(ALLOWED_ORIGIN);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);

        HttpResponse<String> foreign = preflight("https://evil.example.org");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Audit

    @Test
    void shouldRecordWhoReadWhichPatientsDataInAnAuditEvent() throws Exception {
        String reader = "auditor-" + UUID.randomUUID();
        String token = TestTokens.builder().scope("patient/*.rs").patient(own).subject(reader).sign();
        assertThat(send("GET", "/Observation/" + ownObservation, null, token).statusCode()).isEqualTo(200);

        AuditEvent event = auditEventsBy(reader, "subtype=read&").get(0);

        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        // stored as this server's absolute URLs, which HAPI writes relative to its own base on the way out
        assertThat(event.getEntity()).anySatisfy(entity -> assertThat(entity.getWhat().getReference())
                .isEqualTo("Patient/" + own));
        assertThat(event.getEntity()).anySatisfy(entity -> assertThat(entity.getWhat().getReference())
                .startsWith("Observation/" + ownObservation + "/_history/"));
        assertThat(event.getAgent()).anySatisfy(agent -> assertThat(agent.getWho().getIdentifier().getValue())
                .isEqualTo("test-client"));
        assertThat(event.getRecorded()).isAfter(java.util.Date.from(Instant.now().minus(Duration.ofMinutes(5))));
    }

    @Test
    void shouldRecordARefusedRequestAndAnOperationInTheAuditTrail() throws Exception {
        String prober = "prober-" + UUID.randomUUID();
        String token = TestTokens.builder().scope("patient/*.rs").patient(own).subject(prober).sign();
        assertThat(send("GET", "/Observation/" + otherObservation, null, token).statusCode()).isEqualTo(403);
        AuditEvent refused = auditEventsBy(prober, "outcome=4&").get(0);
        assertThat(refused.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);

        String operator = "operator-" + UUID.randomUUID();
        String everything = TestTokens.builder().scope("user/*.rs").subject(operator).sign();
        assertThat(send("GET", "/Patient/" + other + "/$everything", null, everything).statusCode()).isEqualTo(200);
        List<AuditEvent> events = auditEventsBy(operator, "subtype=%24everything&");
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getSubtype()).anySatisfy(code -> assertThat(code.getCode()).isEqualTo("$everything"));
            assertThat(event.getEntity()).anySatisfy(entity -> assertThat(entity.getWhat().getReference())
                    .isEqualTo("Patient/" + other));
        });
    }

    @Test
    void shouldKeepAuditEventsOutOfReachOfChangeAndDeletion() throws Exception {
        String all = TestTokens.builder().scope("system/*.cruds").sign();
        String userAll = TestTokens.builder().scope("user/*.cruds").sign();
        AuditEvent forged = new AuditEvent();
        forged.getType().setSystem("http://terminology.hl7.org/CodeSystem/audit-event-type").setCode("rest");
        forged.setRecorded(new java.util.Date());
        forged.getSource().getObserver().setDisplay("another audit source");
        forged.addAgent().setRequestor(true).getWho().setDisplay("someone");

        assertThat(send("POST", "/AuditEvent", json(forged), userAll).statusCode()).isEqualTo(403);
        HttpResponse<String> created = send("POST", "/AuditEvent", json(forged), all);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = new IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart();

        forged.setId(id);
        forged.setOutcomeDesc("rewritten");
        HttpResponse<String> update = send("PUT", "/AuditEvent/" + id, json(forged), all);
        assertThat(update.statusCode()).isEqualTo(405);
        assertOperationOutcome(update);
        HttpResponse<String> delete = send("DELETE", "/AuditEvent/" + id, null, all);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertOperationOutcome(delete);
        assertThat(send("GET", "/AuditEvent/" + id, null, all).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldFindAPatientsAuditEventsByItsPlainReferenceAndPageThemInTimeOrder() throws Exception {
        String reader = "pager-" + UUID.randomUUID();
        String token = TestTokens.builder().scope("user/*.rs").subject(reader).sign();
        for (int i = 0; i < 5; i++) {
            assertThat(send("GET", "/Observation/" + ownObservation, null, token).statusCode()).isEqualTo(200);
        }
        String query = "/AuditEvent?patient=Patient/" + own + "&agent=" + reader + "&subtype=read&_sort=date&_count=2";

        // written before the reads were answered: found at once, no waiting
        Bundle first = parse(Bundle.class, send("GET", query, null, TestTokens.fullAccess()));
        assertThat(first.getTotal()).isEqualTo(5);
        assertThat(first.getEntry()).hasSize(2);
        List<java.util.Date> times = new ArrayList<>();
        Bundle page = first;
        while (true) {
            page.getEntry().forEach(entry -> times.add(((AuditEvent) entry.getResource()).getRecorded()));
            if (page.getLink("next") == null) {
                break;
            }
            page = parse(Bundle.class, sendUrl("GET", page.getLink("next").getUrl(), null, TestTokens.fullAccess()));
        }
        assertThat(times).hasSize(5).isSorted();
        // the same patient by bare id, and a count
        Bundle count = parse(Bundle.class, send("GET", "/AuditEvent?patient=" + own + "&agent=" + reader
                + "&_summary=count", null, TestTokens.fullAccess()));
        assertThat(count.getTotal()).isEqualTo(5);
    }

    @Test
    void shouldRefuseAnAuditEventInsideATransactionAndABadAuditSearch() throws Exception {
        AuditEvent forged = new AuditEvent();
        forged.getType().setSystem("http://terminology.hl7.org/CodeSystem/audit-event-type").setCode("rest");
        forged.setRecorded(new java.util.Date());
        forged.getSource().getObserver().setDisplay("another audit source");
        forged.addAgent().setRequestor(true).getWho().setDisplay("someone");
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(forged).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");

        HttpResponse<String> inTransaction = send("POST", "", json(transaction), TestTokens.builder().scope("system/*.cruds").sign());
        HttpResponse<String> badSort = send("GET", "/AuditEvent?_sort=outcome", null, TestTokens.fullAccess());
        HttpResponse<String> unknown = send("GET", "/AuditEvent?nonsense=1", null, TestTokens.fullAccess());

        assertThat(inTransaction.statusCode()).as(inTransaction.body()).isEqualTo(422);
        assertOperationOutcome(inTransaction);
        assertThat(badSort.statusCode()).as(badSort.body()).isEqualTo(400);
        assertOperationOutcome(badSort);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Hardened inputs

    @Test
    void shouldRefuseXmlWithAnExternalEntityWithoutEchoingTheFile() throws Exception {
        String xxe = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE Patient [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <Patient xmlns="http://hl7.org/fhir"><name><family value="&secret;"/></name></Patient>""";

        HttpResponse<String> answer = send("POST", "/Patient", xxe, TestTokens.fullAccess(),
                "Content-Type", "application/fhir+xml", "Accept", "application/fhir+json");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertOperationOutcome(answer);
        assertThat(answer.body()).doesNotContain("root:");
    }

    @Test
    void shouldRefuseABodyAboveTheLimitWith413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String oversized = oversizedPatient();

        HttpResponse<String> declared = send("POST", "/Patient", oversized, TestTokens.fullAccess());
        assertThat(declared.statusCode()).isEqualTo(413);
        assertOperationOutcome(declared);

        HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/Patient"))
                .timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + TestTokens.fullAccess())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized.getBytes())))
                .build();
        HttpResponse<String> streamed = HTTP.send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertOperationOutcome(streamed);
    }

    @Test
    void shouldAcceptABodyJustUnderTheLimit() throws Exception {
        Patient patient = patient("Small");
        assertThat(json(patient).length()).isLessThan(MAX_REQUEST_BYTES);
        assertThat(send("POST", "/Patient", json(patient), TestTokens.fullAccess()).statusCode()).isEqualTo(201);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static String oversizedPatient() {
        Patient patient = patient("Large");
        patient.addName().setText("x".repeat(MAX_REQUEST_BYTES + 100_000));
        return json(patient);
    }

    /**
     * The AuditEvents of the last minute by the user, of the kind the narrowing names. They are in the audit log before
     * the request they record is answered, so there is nothing to wait for. Each search is itself audited, so the
     * query narrows to the kind of event looked for.
     */
    private static List<AuditEvent> auditEventsBy(String user, String narrowing) throws Exception {
        // Only events of the last minute: the whole class leaves hundreds of older ones.
        String recent = "date=ge" + java.time.format.DateTimeFormatter.ISO_INSTANT.format(Instant.now().minusSeconds(60)) + "&";
        Bundle page = parse(Bundle.class, send("GET", "/AuditEvent?" + recent + narrowing + "agent=" + user
                + "&_sort=-date&_count=200", null, TestTokens.fullAccess()));
        List<AuditEvent> events = page.getEntry().stream().map(entry -> (AuditEvent) entry.getResource())
                .filter(event -> event.getAgent().stream().anyMatch(agent ->
                        user.equals(agent.getWho().getIdentifier().getValue())))
                .toList();
        assertThat(events).as("AuditEvents by " + user).isNotEmpty();
        return events;
    }

    private static HttpResponse<String> preflight(String origin) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/Patient"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOperationOutcome(HttpResponse<String> answer) {
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, answer.body());
        assertThat(outcome.getIssue()).isNotEmpty();
    }

    private static String tamper(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                .replace("patient/*.rs", "system/*.cruds");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
    }

    private static String create(String path, org.hl7.fhir.instance.model.api.IBaseResource resource) throws Exception {
        HttpResponse<String> created = send("POST", path, json(resource), TestTokens.fullAccess());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart();
    }

    private static Patient patient(String family) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:ketafhir:security-it").setValue(UUID.randomUUID().toString());
        patient.addName().setFamily(family);
        return patient;
    }

    private static Observation observation(String patientId) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("29463-7").setDisplay("Body weight");
        observation.setSubject(new Reference("Patient/" + patientId));
        observation.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(70).setUnit("kg")
                .setSystem("http://unitsofmeasure.org").setCode("kg"));
        return observation;
    }

    private static String json(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    private static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(Class<T> type,
            HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(type, answer.body());
    }

    private static HttpResponse<String> sendRoot(String method, String path, String token) throws Exception {
        String root = server.baseUrl().substring(0, server.baseUrl().length() - "/fhir".length());
        return sendUrl(method, root + path, null, token);
    }

    private static HttpResponse<String> send(String method, String path, String body, String token,
            String... headers) throws Exception {
        return sendUrl(method, server.baseUrl() + path, body, token, headers);
    }

    private static HttpResponse<String> sendUrl(String method, String url, String body, String token,
            String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1))
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        boolean contentType = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            contentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !contentType) {
            request.header("Content-Type", "application/fhir+json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
