package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.TestDatabase;

/**
 * Hostile and broken requests, as a fuzzing client or a misconfigured interface engine sends them: malformed and
 * mistyped bodies, deep nesting, bad references and ids, bad search values and parameters, broken transactions and
 * PATCH documents, bad operation parameters, on every resource type the guide profiles. Each must be answered with
 * a 4xx and an OperationOutcome that says what is wrong, with no Java or SQL internals, and must store nothing
 * (the server's history since the request holds no resource but the audit trail).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT extends FhirServerTestBase {

    private static final String SUBJECT = "Patient/hostile-subject";
    private static final String JSON = "application/fhir+json";
    private static final String XML = "application/fhir+xml";
    private static final List<String> INTERNALS = List.of("at ca.uhn", "at org.", "Exception:", "java.lang",
            "HFJ_", "hfj_", "insert into", "select ", "SQL statement");

    /** Minimal records of the types the guide profiles, each valid in shape: a case changes one thing. */
    private static final Map<String, String> RECORDS = Map.ofEntries(
            Map.entry("Patient", "{\"resourceType\":\"Patient\",\"active\":true,\"gender\":\"female\","
                    + "\"name\":[{\"family\":\"Hostile\"}],\"generalPractitioner\":[{\"reference\":\"" + SUBJECT + "\"}]}"),
            Map.entry("Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":"
                    + "[{\"system\":\"http://loinc.org\",\"code\":\"29463-7\"}]},\"subject\":{\"reference\":\""
                    + SUBJECT + "\"}}"),
            Map.entry("QuestionnaireResponse", "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
                    + "\"questionnaire\":\"http://ketafhir.org/fhir/Questionnaire/phq-9\",\"subject\":{\"reference\":\""
                    + SUBJECT + "\"},\"authored\":\"2026-09-01T10:00:00Z\"}"),
            Map.entry("MedicationAdministration", "{\"resourceType\":\"MedicationAdministration\",\"status\":"
                    + "\"completed\",\"medicationCodeableConcept\":{\"coding\":[{\"system\":"
                    + "\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"6130\"}]},\"subject\":{\"reference\":\""
                    + SUBJECT + "\"},\"effectiveDateTime\":\"2026-09-01T10:00:00Z\"}"),
            Map.entry("CarePlan", "{\"resourceType\":\"CarePlan\",\"status\":\"active\",\"intent\":\"plan\","
                    + "\"subject\":{\"reference\":\"" + SUBJECT + "\"}}"),
            Map.entry("Condition", "{\"resourceType\":\"Condition\",\"code\":{\"coding\":[{\"system\":"
                    + "\"http://snomed.info/sct\",\"code\":\"36474008\"}]},\"subject\":{\"reference\":\"" + SUBJECT + "\"}}"),
            Map.entry("Consent", "{\"resourceType\":\"Consent\",\"status\":\"active\",\"scope\":{\"coding\":[{\"system\":"
                    + "\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"treatment\"}]},\"category\":"
                    + "[{\"text\":\"treatment\"}],\"patient\":{\"reference\":\"" + SUBJECT + "\"}}"),
            Map.entry("Flag", "{\"resourceType\":\"Flag\",\"status\":\"active\",\"code\":{\"text\":\"hostile\"},"
                    + "\"subject\":{\"reference\":\"" + SUBJECT + "\"}}"),
            Map.entry("AdverseEvent", "{\"resourceType\":\"AdverseEvent\",\"actuality\":\"actual\",\"subject\":"
                    + "{\"reference\":\"" + SUBJECT + "\"}}"),
            Map.entry("Procedure", "{\"resourceType\":\"Procedure\",\"status\":\"completed\",\"subject\":"
                    + "{\"reference\":\"" + SUBJECT + "\"}}"));

    record Case(String name, String method, String path, String contentType, String body) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void storeTheSubject() {
        HttpResponse<String> stored = putJson("/" + SUBJECT,
                "{\"resourceType\":\"Patient\",\"id\":\"hostile-subject\",\"name\":[{\"family\":\"Subject\"}]}");
        assertThat(stored.statusCode()).isIn(200, 201);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRefuseWith4xxAndAnOperationOutcomeAndStoreNothing(Case hostile) {
        Instant before = Instant.now().minus(5, ChronoUnit.MILLIS);

        Answer response = send(hostile);

        assertThat(response.status()).as("%s answered %s", hostile.name(), response.body()).isBetween(400, 499);
        IBaseResource outcome = FHIR.newJsonParser().parseResource(response.body());
        assertThat(outcome).isInstanceOf(OperationOutcome.class);
        OperationOutcome.OperationOutcomeIssueComponent issue = ((OperationOutcome) outcome).getIssueFirstRep();
        assertThat(issue.getSeverity()).isIn(OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueSeverity.FATAL);
        assertThat(issue.getDiagnostics()).as("what is wrong").isNotBlank();
        assertThat(response.body()).as("no internals").doesNotContain(INTERNALS);
        assertThat(storedSince(before)).as("stored by %s", hostile.name()).isEmpty();
    }

    record Answer(int status, String body) {}

    /** Through the HTTP client, or over a plain socket for a request line the client refuses to send. */
    private Answer send(Case hostile) {
        String[] headers = hostile.contentType() == null
                ? new String[] {"Accept", JSON}
                : new String[] {"Content-Type", hostile.contentType(), "Accept", JSON};
        if (MalformedQueryFilter.malformedEscape(hostile.path()) < 0) {
            HttpResponse<String> response = http(hostile.method(), hostile.path(), hostile.body(), headers);
            return new Answer(response.statusCode(), response.body());
        }
        try (Socket socket = new Socket("localhost", port)) {
            StringBuilder request = new StringBuilder(hostile.method() + " /fhir" + hostile.path() + " HTTP/1.1\r\n"
                    + "Host: localhost\r\nConnection: close\r\nAccept: " + JSON + "\r\n");
            TestDatabase.authorizationHeader().ifPresent(value -> request.append("Authorization: ").append(value).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(9, 12));
            String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            return new Answer(status, head.toLowerCase().contains("transfer-encoding: chunked") ? unchunk(body) : body);
        } catch (IOException e) {
            throw new IllegalStateException(hostile.name(), e);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int end = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, end).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, end + 2, end + 2 + size);
            at = end + 2 + size + 2;
        }
    }

    /** Resources written since the instant, other than the audit trail the server keeps of every request. */
    private List<String> storedSince(Instant since) {
        HttpResponse<String> response = getRaw("/_history?_since=" + since.truncatedTo(ChronoUnit.MILLIS) + "&_count=100");
        assertThat(response.statusCode()).as("history since %s: %s", since, response.body()).isEqualTo(200);
        Bundle history = parse(Bundle.class, response.body());
        return history.getEntry().stream()
                .map(entry -> entry.getFullUrl() == null ? entry.getResource().fhirType() : entry.getFullUrl())
                .filter(url -> !url.contains("AuditEvent"))
                .toList();
    }

    Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        RECORDS.forEach((type, record) -> {
            bodies(type, record).forEach((name, body) ->
                    cases.add(new Case("POST " + type + ": " + name, "POST", "/" + type, JSON, body)));
            cases.add(new Case("POST " + type + ": text/plain body", "POST", "/" + type, "text/plain", record));
            cases.add(new Case("POST " + type + ": malformed XML", "POST", "/" + type, XML,
                    "<" + type + " xmlns=\"http://hl7.org/fhir\"><status value=\"final\"></" + type));
            cases.add(new Case("POST " + type + ": XML with a DOCTYPE", "POST", "/" + type, XML,
                    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><" + type
                            + " xmlns=\"http://hl7.org/fhir\"><id value=\"&e;\"/></" + type + ">"));
            cases.add(new Case("PUT " + type + ": id in the body differs from the URL", "PUT",
                    "/" + type + "/hostile-a", JSON, withId(record, "hostile-b")));
            cases.add(new Case("PUT " + type + ": id longer than 64 characters", "PUT",
                    "/" + type + "/" + "x".repeat(65), JSON, withId(record, "x".repeat(65))));
            cases.add(new Case("PUT " + type + ": id with forbidden characters", "PUT",
                    "/" + type + "/bad$id", JSON, withId(record, "bad$id")));
            cases.add(new Case("PUT " + type + ": no id in the body", "PUT", "/" + type + "/hostile-c", JSON, record));
            searches(type).forEach(query ->
                    cases.add(new Case("GET " + type + "?" + query, "GET", "/" + type + "?" + query, null, null)));
        });
        cases.addAll(transactions());
        cases.addAll(patches());
        cases.addAll(operations());
        return cases.stream();
    }

    /** One defect each, in a record of the type. */
    private static Map<String, String> bodies(String type, String record) {
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        String other = type.equals("Patient") ? RECORDS.get("Observation") : RECORDS.get("Patient");
        bodies.put("truncated JSON", record.substring(0, record.length() - 3));
        bodies.put("empty body", "");
        bodies.put("JSON array instead of a resource", "[" + record + "]");
        bodies.put("JSON string instead of a resource", "\"" + type + "\"");
        bodies.put("no resourceType", record.replace("\"resourceType\":\"" + type + "\",", ""));
        bodies.put("resourceType of another type", other);
        bodies.put("unknown resourceType", record.replace("\"resourceType\":\"" + type + "\"",
                "\"resourceType\":\"NotAResource\""));
        bodies.put("unknown element", insert(record, "\"hostileElement\":true"));
        bodies.put("id as a number", insert(record, "\"id\":12345"));
        bodies.put("language as an object", insert(record, "\"language\":{\"code\":\"en\"}"));
        bodies.put("invalid instant in meta.lastUpdated", insert(record, "\"meta\":{\"lastUpdated\":\"2026-13-45T99:00:00Z\"}"));
        bodies.put("contained resource of an unknown type", insert(record, "\"contained\":[{\"resourceType\":\"Nope\",\"id\":\"c\"}]"));
        bodies.put("extension without url", insert(record, "\"extension\":[{\"valueString\":\"x\"}]"));
        bodies.put("decimal beyond the double range", insert(record, "\"extension\":[{\"url\":\"http://example.org/x\","
                + "\"valueDecimal\":1e400}]"));
        bodies.put("integer beyond 32 bits", insert(record, "\"extension\":[{\"url\":\"http://example.org/x\","
                + "\"valueInteger\":99999999999}]"));
        bodies.put("invalid date", insert(record, "\"extension\":[{\"url\":\"http://example.org/x\","
                + "\"valueDate\":\"2026-02-30x\"}]"));
        bodies.put("extension nested 3,000 deep", insert(record, "\"extension\":" + nested(3_000)));
        bodies.put("array nested 10,000 deep", insert(record, "\"hostileElement\":" + "[".repeat(10_000) + "]".repeat(10_000)));
        bodies.put("reference to a resource that does not exist", record.contains(SUBJECT)
                ? record.replace(SUBJECT, "Patient/does-not-exist-" + type.length())
                : insert(record, "\"generalPractitioner\":[{\"reference\":\"Practitioner/does-not-exist\"}]"));
        bodies.put("reference that is not a reference", record.replace(SUBJECT, "Patient/::not an id::"));
        bodies.put("reference to an unknown type", record.replace(SUBJECT, "NotAType/123"));
        return bodies;
    }

    private static List<String> searches(String type) {
        return List.of("_count=abc", "_lastUpdated=notadate", "_lastUpdated=gt2026-13-45", "_sort=nosuchparameter",
                "nosuchparameter=1", "_elements=%%%", "_include=NotAType:subject", "_has=Observation",
                "_tag=%zz", "_lastUpdated=ab2026-01-01", "_count=99999999999");
    }

    private List<Case> transactions() {
        String patient = RECORDS.get("Patient");
        List<Case> cases = new ArrayList<>();
        cases.add(bundle("transaction entry without a request", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
                + "\"entry\":[{\"fullUrl\":\"urn:uuid:1\",\"resource\":" + patient + "}]}"));
        cases.add(bundle("transaction entry with an unknown method", transaction(patient, "FETCH", "Patient")));
        cases.add(bundle("transaction entry with an unparseable URL", transaction(patient, "POST", "::::")));
        cases.add(bundle("transaction entry posting to another type", transaction(patient, "POST", "Observation")));
        cases.add(bundle("transaction whose second entry is broken", "{\"resourceType\":\"Bundle\",\"type\":"
                + "\"transaction\",\"entry\":[" + entry(patient, "POST", "Patient", "urn:uuid:a") + ","
                + entry(RECORDS.get("Observation").replace(SUBJECT, "urn:uuid:a").replace("\"final\"", "\"finished\""),
                        "POST", "Observation", "urn:uuid:b") + "]}"));
        cases.add(bundle("transaction referring to an urn that no entry has", transaction(
                RECORDS.get("Observation").replace(SUBJECT, "urn:uuid:nowhere"), "POST", "Observation")));
        cases.add(bundle("transaction with two entries of the same fullUrl", "{\"resourceType\":\"Bundle\",\"type\":"
                + "\"transaction\",\"entry\":[" + entry(patient, "POST", "Patient", "urn:uuid:same") + ","
                + entry(patient, "POST", "Patient", "urn:uuid:same") + "]}"));
        cases.add(bundle("transaction with an entry of an unknown resourceType", transaction(
                "{\"resourceType\":\"NotAResource\"}", "POST", "NotAResource")));
        cases.add(bundle("bundle of type searchset posted as a transaction",
                "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[]}"));
        cases.add(bundle("bundle without a type", "{\"resourceType\":\"Bundle\",\"entry\":[]}"));
        cases.add(bundle("transaction with a conditional create of an invalid match URL", "{\"resourceType\":\"Bundle\","
                + "\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:c\",\"resource\":" + patient
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\",\"ifNoneExist\":\"nosuchparameter=1\"}}]}"));
        cases.add(bundle("transaction with a malformed entry body", "{\"resourceType\":\"Bundle\",\"type\":"
                + "\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:d\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"birthDate\":\"yesterday\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}"));
        return cases;
    }

    private List<Case> patches() {
        String path = "/" + SUBJECT;
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("PATCH: JSON Patch that is not JSON", "PATCH", path, "application/json-patch+json", "[{"));
        cases.add(new Case("PATCH: JSON Patch with an unknown op", "PATCH", path, "application/json-patch+json",
                "[{\"op\":\"destroy\",\"path\":\"/name\"}]"));
        cases.add(new Case("PATCH: JSON Patch replacing a missing path", "PATCH", path, "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/nosuchelement/0\",\"value\":1}]"));
        cases.add(new Case("PATCH: JSON Patch giving birthDate a wrong value", "PATCH", path,
                "application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/birthDate\",\"value\":\"yesterday\"}]"));
        cases.add(new Case("PATCH: JSON Patch removing the resourceType", "PATCH", path, "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/resourceType\"}]"));
        cases.add(new Case("PATCH: JSON Patch that is an object", "PATCH", path, "application/json-patch+json",
                "{\"op\":\"remove\"}"));
        cases.add(new Case("PATCH: FHIRPath Patch that is not Parameters", "PATCH", path, JSON,
                "{\"resourceType\":\"Patient\"}"));
        cases.add(new Case("PATCH: FHIRPath Patch with an unknown type", "PATCH", path, JSON,
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\",\"part\":[{\"name\":\"type\","
                        + "\"valueCode\":\"explode\"},{\"name\":\"path\",\"valueString\":\"Patient.name\"}]}]}"));
        cases.add(new Case("PATCH: FHIRPath Patch with an unparseable path", "PATCH", path, JSON,
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\",\"part\":[{\"name\":\"type\","
                        + "\"valueCode\":\"delete\"},{\"name\":\"path\",\"valueString\":\"Patient.name[[[\"}]}]}"));
        cases.add(new Case("PATCH: FHIRPath Patch setting gender to an unknown code", "PATCH", path, JSON,
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\",\"part\":[{\"name\":\"type\","
                        + "\"valueCode\":\"replace\"},{\"name\":\"path\",\"valueString\":\"Patient.gender\"},"
                        + "{\"name\":\"value\",\"valueCode\":\"sometimes\"}]}]}"));
        cases.add(new Case("PATCH: a resource that does not exist", "PATCH", "/Patient/does-not-exist-patch",
                "application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/active\",\"value\":true}]"));
        cases.add(new Case("PATCH: XML Patch that is not XML", "PATCH", path, "application/xml-patch+xml", "<diff"));
        return cases;
    }

    private List<Case> operations() {
        List<Case> cases = new ArrayList<>();
        String summary = "/" + SUBJECT + "/$outcome-summary";
        cases.add(get("$outcome-summary with an unknown instrument", summary + "?instrument=no-such-instrument"));
        cases.add(get("$outcome-summary with a start that is not a date", summary + "?start=notadate"));
        cases.add(get("$outcome-summary with an end before the start", summary + "?start=2026-09-01&end=2026-01-01"));
        cases.add(get("$outcome-summary with an unknown output", summary + "?output=spreadsheet"));
        cases.add(get("$outcome-summary with series that is not a boolean", summary + "?series=perhaps"));
        cases.add(get("$outcome-summary of a patient that does not exist", "/Patient/does-not-exist/$outcome-summary"));
        cases.add(get("$outcome-summary of a CarePlan that does not exist", "/CarePlan/does-not-exist/$outcome-summary"));
        cases.add(get("cohort $outcome-summary with psychotherapy that is not a boolean",
                "/Group/$outcome-summary?psychotherapy=often"));
        cases.add(get("cohort $outcome-summary with an unknown baseline severity",
                "/Group/$outcome-summary?baseline-severity=catastrophic"));
        cases.add(get("$rems-record of a session that does not exist", "/MedicationAdministration/does-not-exist/$rems-record"));
        cases.add(new Case("$extract with a body that is not a QuestionnaireResponse", "POST",
                "/QuestionnaireResponse/$extract", JSON, RECORDS.get("Patient")));
        cases.add(new Case("$extract with a malformed body", "POST", "/QuestionnaireResponse/$extract", JSON, "{"));
        cases.add(get("$extract of a response that does not exist", "/QuestionnaireResponse/does-not-exist/$extract"));
        cases.add(new Case("$validate with a malformed body", "POST", "/Observation/$validate", JSON, "{\"resourceType\":"));
        cases.add(get("an operation that does not exist", "/Patient/$no-such-operation"));
        cases.add(get("$everything with a _count that is not a number", "/" + SUBJECT + "/$everything?_count=many"));
        cases.add(get("$export with an unknown _type", "/$export?_type=NotAType"));
        cases.add(get("$expand of a ValueSet that does not exist", "/ValueSet/$expand?url=http://example.org/no-such-vs"));
        cases.add(new Case("$meta-add with a body that is not Parameters", "POST", "/" + SUBJECT + "/$meta-add",
                JSON, RECORDS.get("Patient")));
        cases.add(new Case("POST RiskAssessment: a probability beyond its index column (NUMERIC(19,2))", "POST",
                "/RiskAssessment", JSON, "{\"resourceType\":\"RiskAssessment\",\"status\":\"final\",\"subject\":"
                        + "{\"reference\":\"" + SUBJECT + "\"},\"prediction\":[{\"probabilityDecimal\":1e20}]}"));
        cases.add(get("_history with a _since that is not an instant", "/Patient/_history?_since=yesterday"));
        cases.add(get("read of an id with forbidden characters", "/Patient/bad$id"));
        cases.add(get("vread of a version that is not a number", "/" + SUBJECT + "/_history/abc"));
        cases.add(new Case("DELETE with a match URL of an unknown parameter", "DELETE", "/Patient?nosuchparameter=1",
                null, null));
        cases.add(new Case("POST _search with an undecodable form body", "POST", "/Patient/_search",
                "application/x-www-form-urlencoded", "_id=%zz&_elements=%%%"));
        return cases;
    }

    private static Case get(String name, String path) {
        return new Case(name, "GET", path, null, null);
    }

    private static Case bundle(String name, String body) {
        return new Case("POST transaction: " + name, "POST", "", JSON, body);
    }

    private static String transaction(String resource, String method, String url) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entry(resource, method, url,
                "urn:uuid:e1") + "]}";
    }

    private static String entry(String resource, String method, String url, String fullUrl) {
        return "{\"fullUrl\":\"" + fullUrl + "\",\"resource\":" + resource + ",\"request\":{\"method\":\"" + method
                + "\",\"url\":\"" + url + "\"}}";
    }

    /** The element added right after resourceType. */
    private static String insert(String record, String element) {
        int comma = record.indexOf(',');
        return record.substring(0, comma + 1) + element + "," + record.substring(comma + 1);
    }

    private static String withId(String record, String id) {
        return insert(record, "\"id\":\"" + id + "\"");
    }

    private static String nested(int depth) {
        UnaryOperator<String> wrap = inner -> "[{\"url\":\"http://example.org/n\",\"extension\":" + inner + "}]";
        String json = "[{\"url\":\"http://example.org/n\",\"valueString\":\"deep\"}]";
        for (int i = 0; i < depth; i++) {
            json = wrap.apply(json);
        }
        return json;
    }
}
