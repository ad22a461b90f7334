package org.ketafhir.outcomes.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.scoring.OutcomeResponses.phq9;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.VitalSigns;
import org.ketafhir.testing.TestDatabase;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The report pages in a real browser (Debian's headless chromium): served by the application, drawn by their
 * scripts, values from resources shown as text, no console errors.
 */
class ReportPageIT extends FhirServerTestBase {

    private static HeadlessBrowser browser;

    @BeforeAll
    static void startBrowser() {
        browser = new HeadlessBrowser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void forgetEarlierConsoleEntries() {
        browser.consoleEntries();
    }

    // ---- the pages as served

    @Test
    void thePatientPageShouldBeAStaticShellWithoutPatientDataAndWithAStrictContentSecurityPolicy() {
        HttpResponse<String> page = get("/report/patient/secret-patient-77?course=secret-course-5");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("/report/patient.js").doesNotContain("secret-patient-77").doesNotContain("secret-course-5");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(ReportConfig.CONTENT_SECURITY_POLICY);
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void anAddressThatIsNotAFhirIdShouldNotBeAReportPage() {
        assertThat(get("/report/patient/not_an_id").statusCode()).isEqualTo(404);
        assertThat(get("/report/patient/").statusCode()).isEqualTo(404);
    }

    @Test
    void theChartLibraryShouldBeServedByTheApplication() {
        HttpResponse<String> library = get("/webjars/echarts/5.3.1/dist/echarts.min.js");

        assertThat(library.statusCode()).isEqualTo(200);
        assertThat(library.body()).contains("echarts");
    }

    // ---- the patient page drawn from a hand-written summary (test resource report/patient-summary.json)

    @Test
    void thePatientPageShouldDrawEveryScoreEverySessionAndBothThresholdsPerInstrument() {
        renderPatientFixture();

        // PHQ-9: 6 scores; 6 IV sessions and 1 stopped nasal session; 2 psychotherapy sessions;
        // response at 20 x 0.5 = 10, remission at 4 or below
        WebElement phq9 = chart("phq-9");
        assertThat(phq9.getAttribute("data-point-count")).isEqualTo("6");
        assertThat(phq9.getAttribute("data-baseline-count")).isEqualTo("1");
        assertThat(phq9.getAttribute("data-session-count")).isEqualTo("7");
        assertThat(phq9.getAttribute("data-psychotherapy-count")).isEqualTo("2");
        assertThat(phq9.getAttribute("data-threshold-lines")).isEqualTo("response=10 remission=4");
        // the same read from echarts itself: the drawn series, not only the attributes
        assertThat(seriesLength(phq9, "score")).isEqualTo(6);
        assertThat(seriesLength(phq9, "dosing-0") + seriesLength(phq9, "dosing-1")).isEqualTo(7);
        assertThat(seriesLength(phq9, "psychotherapy")).isEqualTo(2);
        // GAD-7: 3 scores, response at 15 x 0.5 = 7.5
        WebElement gad7 = chart("gad-7");
        assertThat(gad7.getAttribute("data-point-count")).isEqualTo("3");
        assertThat(gad7.getAttribute("data-threshold-lines")).isEqualTo("response=7.5 remission=4");
        assertThat(browser.consoleErrors()).isEmpty();
        browser.screenshot("patient-fixture");
    }

    @Test
    void thePatientPageShouldHeadEachInstrumentWithItsKeyFigures() {
        renderPatientFixture();

        String phq9 = section("section.instrument[data-questionnaire$='/phq-9']").getText();
        assertThat(phq9).contains("BASELINE\n20\nSevere depression · 2026-09-05")
                .contains("LATEST\n5\nMild depression · 2026-11-02")
                .contains("CHANGE\n15 better\n75 % improvement")
                .contains("RESPONSE\nyes\nfirst after 3 sessions, 7 days")
                .contains("REMISSION\nno\nfirst after 6 sessions, 28 days");
        String treatment = section("div[data-figures='exposure']").getText();
        // 6 x 40 mg IV + 56 mg nasal = 296 mg
        assertThat(treatment).contains("DOSING SESSIONS\n7\nIV 6 · Nasal 1").contains("CUMULATIVE DOSE\n296 mg")
                .contains("PSYCHOTHERAPY SESSIONS\n2");
    }

    @Test
    void thePatientPageShouldListTheSafetyEventsInDateOrderAndTheSuicidalIdeationCourse() {
        renderPatientFixture();

        List<WebElement> events = browser.driver().findElements(By.cssSelector("table.events tbody tr"));
        assertThat(events).extracting(row -> row.getAttribute("data-kind"))
                .containsExactly("safety-signal", "adverse-event", "stopped-early");
        assertThat(events.get(2).getText()).contains("2026-10-01").contains("Session stopped early")
                .contains("Stopped after 20 min: dissociation");
        String ideation = section("section.suicidal-ideation").getText();
        assertThat(ideation).contains("AT BASELINE\npositive").contains("LATEST\nnegative").contains("RESOLVED\nyes");
        // six screens, item 9 answered 2, 1, 0, 0, 0, 0
        assertThat(browser.driver().findElements(By.cssSelector("section.suicidal-ideation tbody tr"))).hasSize(6);
    }

    @Test
    void markupInResourceValuesShouldBeShownAsTextAndNeverRun() {
        renderPatientFixture();
        // a tooltip drawn from a point, a session and a threshold-free series, so the formatter runs too
        browser.script("var c = echarts.getInstanceByDom(arguments[0]);"
                + "[0, 2, 3].forEach(function (s) { c.dispatchAction({type: 'showTip', seriesIndex: s, dataIndex: 0}); });",
                chart("phq-9"));

        assertThat(browser.script("return window.__xss === undefined;")).isEqualTo(true);
        assertThat(browser.script("return document.querySelectorAll('#report img, #report script, #subject img, #subject script').length;"))
                .isEqualTo(0L);
        assertThat(browser.driver().findElement(By.cssSelector("#subject .patient-name")).getText())
                .isEqualTo("<img src=x onerror=\"window.__xss='given'\"> <script>window.__xss='family'</script>");
        assertThat(browser.driver().findElements(By.cssSelector("table.events td.event-text")))
                .extracting(WebElement::getText)
                .contains("Nausea <img src=x onerror=\"window.__xss='event'\">",
                        "PHQ-9 item 9 positive <script>window.__xss='signal'</script>");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    // ---- the cohort page drawn from a hand-written MeasureReport (test resource report/cohort-summary.json)

    @Test
    void theCohortPageShouldShowTheRatesPerTimePointWithTheirCounts() {
        renderCohortFixture();

        List<String> rows = browser.driver().findElements(By.cssSelector("table.rates tbody tr")).stream()
                .map(WebElement::getText).toList();
        // 15/28 = 53.6 %, 8/28 = 28.6 %; 12/26 = 46.2 %, 5/26 = 19.2 %; 10/20 = 50 %, 4/20 = 20 %; 6/12 = 50 %, 3/12 = 25 %
        assertThat(rows).containsExactly(
                "Latest 53.6 % 15/28 28.6 % 8/28",
                "End of induction 46.2 % 12/26 19.2 % 5/26",
                "3 months 50 % 10/20 20 % 4/20",
                "6 months 50 % 6/12 25 % 3/12",
                "12 months – 0/0 – 0/0");
        browser.screenshot("cohort-fixture");
        String figures = section("div[data-figures='cohort']").getText();
        assertThat(figures).contains("PATIENTS TREATED\n30").contains("EVALUABLE\n28").contains("MEAN CHANGE\n8.4")
                .contains("EFFECT SIZE\n1.32");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theCohortPageShouldChartEachBreakdownAndShowStratumNamesAsText() {
        renderCohortFixture();

        for (String stratifier : List.of("condition", "route", "baseline-severity", "psychotherapy")) {
            WebElement chart = section(".chart[data-stratifier='" + stratifier + "']");
            assertThat(chart.getAttribute("data-stratum-count")).as(stratifier).isEqualTo("2");
            assertThat(chart.getAttribute("data-bar-count")).as(stratifier).isEqualTo("4");
        }
        // 9/14 = 64.3 % with psychotherapy, 6/14 = 42.9 % without
        assertThat(section("section.breakdown[data-stratifier='psychotherapy']").getText())
                .contains("with psychotherapy 64.3 % 9/14").contains("without psychotherapy 42.9 % 6/14");
        assertThat(section("section.breakdown[data-stratifier='condition']").getText())
                .contains("<b>MDD</b> <img src=x onerror=\"window.__xss='stratum'\">");
        assertThat(browser.script("return window.__xss === undefined && document.querySelectorAll('#report img, #report b').length === 0;"))
                .isEqualTo(true);

        // the fixture breaks down the latest rates only
        browser.script("var s = document.getElementById('timepoint'); s.value = 'end-of-induction';"
                + "s.dispatchEvent(new Event('change'));");
        assertThat(section(".chart[data-stratifier='route']").getAttribute("data-stratum-count")).isEqualTo("0");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    // ---- errors and the access token, against the running server

    @Test
    void anErrorFromTheServerShouldBeShownWithTheOperationOutcomeText() {
        browser.open(page("/report/patient/" + unique("missing")));

        assertThat(browser.script("return document.body.getAttribute('data-state');")).isEqualTo("error");
        WebElement error = section("#report .error");
        assertThat(error.getAttribute("role")).isEqualTo("alert");
        assertThat(error.findElements(By.tagName("li"))).isNotEmpty()
                .allSatisfy(issue -> assertThat(issue.getText()).startsWith("error: "));
        // the browser reports the failed request itself; nothing else may fail
        assertThat(browser.consoleErrors()).allSatisfy(message -> assertThat(message).contains("Failed to load resource"));
    }

    @Test
    void aTokenInTheAddressShouldMoveToSessionStorageAndGoOutAsABearerToken() {
        // a fresh load (from the same page, a new fragment alone would not reload it)
        browser.driver().get("about:blank");
        // a token the test server accepts when it requires one (PostgreSQL suite), else any value
        String token = TestDatabase.authorizationHeader().map(h -> h.substring("Bearer ".length())).orElse("token-123");
        browser.open(page("/report/patient.html#access_token=" + token + "&token_type=Bearer"));

        assertThat(browser.driver().getCurrentUrl()).doesNotContain(token).doesNotContain("#");
        assertThat(browser.script("return sessionStorage.getItem('ketafhir.token');")).isEqualTo(token);
        Object sent = browser.driver().executeAsyncScript(
                "var done = arguments[arguments.length - 1]; var real = window.fetch; var seen = null;"
                        + "window.fetch = function (url, init) { seen = init.headers['Authorization']; return real(url, init); };"
                        + "KetaReport.fhirGet('/metadata').then(function () { done(seen); }, function () { done(seen); });");
        browser.script("sessionStorage.clear();");
        assertThat(sent).isEqualTo("Bearer " + token);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    // ---- end to end: resources stored through the FHIR API, the real $outcome-summary, the page in the browser

    @Test
    void thePatientPageShouldDrawTheStoredScoresAndSessionsOfAPatient() {
        String patient = storeCourse(unique("report"));

        browser.open(withToken(page("/report/patient/" + patient.substring("Patient/".length()))));

        assertThat(browser.script("return document.body.getAttribute('data-state');")).isEqualTo("ready");
        // four PHQ-9 responses scored into four totals; three IV sessions; one psychotherapy session;
        // response at or below 17 x 0.5 = 8.5, remission at 4 or below (PHQ-9 under 5)
        WebElement phq9 = chart("phq-9");
        assertThat(phq9.getAttribute("data-point-count")).isEqualTo("4");
        assertThat(seriesLength(phq9, "score")).isEqualTo(4);
        assertThat(phq9.getAttribute("data-baseline-count")).isEqualTo("1");
        assertThat(phq9.getAttribute("data-session-count")).isEqualTo("3");
        assertThat(phq9.getAttribute("data-psychotherapy-count")).isEqualTo("1");
        assertThat(phq9.getAttribute("data-threshold-lines")).isEqualTo("response=8.5 remission=4");
        // baseline 17 (2026-09-05, two days before the first session), latest 3: 14 better, 14 / 17 = 82.4 %
        assertThat(section("section.instrument[data-questionnaire$='/phq-9']").getText())
                .contains("BASELINE\n17").contains("LATEST\n3").contains("CHANGE\n14 better\n82.4 % improvement")
                // first score at or below 8.5: 8 on 10 September, after the session of 7 September only;
                // first at or below 4: 4 on 14 September, after the sessions of 7 and 10 September
                .contains("RESPONSE\nyes\nfirst after 1 session").contains("REMISSION\nyes\nfirst after 2 sessions");
        // 3 x 40 mg
        assertThat(section("div[data-figures='exposure']").getText()).contains("DOSING SESSIONS\n3").contains("CUMULATIVE DOSE\n120 mg");
        // item 9 answered 1 at baseline (5 September) raised a safety signal; the adverse event on 7 September
        assertThat(browser.driver().findElements(By.cssSelector("table.events tbody tr")))
                .extracting(row -> row.getAttribute("data-kind")).containsExactly("safety-signal", "adverse-event");
        // the name and the adverse-event code carry markup: shown as text, never run
        assertThat(browser.driver().findElement(By.cssSelector("#subject .patient-name")).getText())
                .isEqualTo("<img src=x onerror=\"window.__xss='name'\"> <script>window.__xss='family'</script>");
        assertThat(browser.driver().findElements(By.cssSelector("table.events td.event-text")))
                .extracting(WebElement::getText).anySatisfy(text -> assertThat(text).contains(EVENT_MARKUP));
        assertThat(browser.script("return window.__xss === undefined"
                + " && document.querySelectorAll('#report img, #report script, #subject img, #subject script').length === 0;"))
                .isEqualTo(true);
        assertThat(browser.consoleErrors()).isEmpty();
        browser.screenshot("patient");
    }

    @Test
    void theCohortPageShouldShowTheRatesOfTheStoredCourse() {
        // a condition code of this test alone selects exactly its course (the code carries markup)
        String condition = "<b>" + unique("report") + "</b>";
        storeCourse(condition);

        browser.open(withToken(page("/report/cohort?instrument=phq-9&route=http://snomed.info/sct%7C47625008&condition="
                + URLEncoder.encode(CONDITIONS + "|" + condition, StandardCharsets.UTF_8))));

        assertThat(browser.script("return document.body.getAttribute('data-state');")).isEqualTo("ready");
        // one patient, evaluable (baseline 17, later scores); latest 3: at or below 8.5 and at or below 4
        assertThat(browser.driver().findElements(By.cssSelector("table.rates tbody tr")).get(0).getText())
                .isEqualTo("Latest 100 % 1/1 100 % 1/1");
        // change 17 - 3 = 14; one adverse event over 3 sessions = 0.33 per session, 1 per patient
        assertThat(section("div[data-figures='cohort']").getText()).contains("PATIENTS TREATED\n1").contains("EVALUABLE\n1")
                .contains("MEAN CHANGE\n14").contains("MEDIAN CHANGE\n14").contains("ADVERSE EVENTS\n0.33\nper session · 1 per patient");
        assertThat(section(".chart[data-stratifier='route']").getAttribute("data-stratum-count")).isEqualTo("1");
        assertThat(section("section.breakdown[data-stratifier='psychotherapy']").getText())
                .contains("with psychotherapy 100 % 1/1 100 % 1/1");
        // the filters in force are shown in the form, the markup as a field value
        assertThat(browser.script("return document.querySelector('#filters select[name=route]').value;"))
                .isEqualTo("http://snomed.info/sct|47625008");
        assertThat(browser.script("return document.querySelector('#filters input[name=condition]').value;"))
                .isEqualTo(CONDITIONS + "|" + condition);
        assertThat(browser.script("return document.querySelectorAll('b').length;")).isEqualTo(0L);
        assertThat(browser.consoleErrors()).isEmpty();
        browser.screenshot("cohort");
    }

    /**
     * A course from 2026-09-05: PHQ-9 17 (baseline, item 9 answered 1), three IV sessions of 40 mg on 7, 10 and 14
     * September, PHQ-9 8, 4 and 3 on 10, 14 and 24 September, one psychotherapy session on 12 September and one
     * adverse event after the first session; a Condition with the given code (system {@link #CONDITIONS}).
     * Returns "Patient/id".
     */
    private String storeCourse(String conditionCode) {
        Patient person = new Patient();
        person.addIdentifier().setSystem("urn:ketafhir:test").setValue(unique("report"));
        person.addName().setFamily("<script>window.__xss='family'</script>").addGiven("<img src=x onerror=\"window.__xss='name'\">");
        person.setBirthDateElement(new DateType("1980-01-01"));
        String patient = create(person);
        Condition diagnosis = new Condition();
        diagnosis.setSubject(new Reference(patient));
        diagnosis.getCode().addCoding().setSystem(CONDITIONS).setCode(conditionCode);
        diagnosis.setRecordedDateElement(new DateTimeType("2026-09-01T09:00:00Z"));
        create(diagnosis);

        // 2x8 + 1 = 17; 8 x 1 = 8; 4 x 1 = 4; 3 x 1 = 3
        create(phq9(patient, "2026-09-05T09:00:00Z", 2, 2, 2, 2, 2, 2, 2, 2, 1));
        create(phq9(patient, "2026-09-10T08:00:00Z", 1, 1, 1, 1, 1, 1, 1, 1, 0));
        create(phq9(patient, "2026-09-14T08:00:00Z", 1, 1, 1, 1, 0, 0, 0, 0, 0));
        create(phq9(patient, "2026-09-24T08:00:00Z", 1, 1, 1, 0, 0, 0, 0, 0, 0));

        Instant first = Instant.parse("2026-09-07T10:00:00Z");
        create(VitalSigns.vital(patient, "29463-7", first.minus(Duration.ofMinutes(20)))
                .setValue(new Quantity().setValue(80).setUnit("kg").setSystem(UCUM).setCode("kg")));
        String firstSession = null;
        for (String day : List.of("2026-09-07", "2026-09-10", "2026-09-14")) {
            Instant start = Instant.parse(day + "T10:00:00Z");
            bloodPressure(patient, start.minus(Duration.ofMinutes(10)));
            String session = create(ivSession(patient, start));
            firstSession = firstSession == null ? session : firstSession;
        }

        Procedure therapy = new Procedure();
        therapy.setStatus(Procedure.ProcedureStatus.COMPLETED);
        therapy.setSubject(new Reference(patient));
        therapy.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("75516001").setDisplay("Psychotherapy");
        therapy.setPerformed(new DateTimeType("2026-09-12T14:00:00Z"));
        create(therapy);

        AdverseEvent event = new AdverseEvent();
        event.setActuality(AdverseEvent.AdverseEventActuality.ACTUAL);
        event.setSubject(new Reference(patient));
        event.setDateElement(new DateTimeType("2026-09-07T11:00:00Z"));
        event.getEvent().setText("Nausea " + EVENT_MARKUP).addCoding().setSystem("urn:ketafhir:test:events").setCode(EVENT_MARKUP);
        event.addSuspectEntity().setInstance(new Reference(firstSession));
        create(event);
        return patient;
    }

    /** An event code with markup (a FHIR code may hold anything but whitespace). */
    private static final String EVENT_MARKUP = "<img/src=x/onerror=window.__xss='event'>";
    private static final String UCUM = "http://unitsofmeasure.org";
    private static final String CONDITIONS = "urn:ketafhir:test:conditions";

    private void bloodPressure(String patient, Instant at) {
        Observation bp = VitalSigns.vital(patient, "85354-9", at);
        bp.addComponent().setValue(new Quantity().setValue(120).setUnit("mmHg").setSystem(UCUM).setCode("mm[Hg]"))
                .getCode().addCoding().setSystem("http://loinc.org").setCode("8480-6");
        bp.addComponent().setValue(new Quantity().setValue(80).setUnit("mmHg").setSystem(UCUM).setCode("mm[Hg]"))
                .getCode().addCoding().setSystem("http://loinc.org").setCode("8462-4");
        create(bp);
    }

    /** IV ketamine 40 mg (0.5 mg/kg at 80 kg) over 40 minutes, discharged 60 minutes after the infusion. */
    private static MedicationAdministration ivSession(String patient, Instant start) {
        MedicationAdministration session = new MedicationAdministration();
        session.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        session.setSubject(new Reference(patient));
        session.getMedicationCodeableConcept().addCoding().setSystem("http://www.nlm.nih.gov/research/umls/rxnorm").setCode("6130");
        session.setEffective(new Period().setStart(Date.from(start)).setEnd(Date.from(start.plus(Duration.ofMinutes(40)))));
        session.addExtension("http://ketafhir.org/fhir/StructureDefinition/post-dose-observation-end",
                new DateTimeType(Date.from(start.plus(Duration.ofMinutes(100)))));
        session.getDosage().getRoute().addCoding().setSystem("http://snomed.info/sct").setCode("47625008");
        session.getDosage().setDose(new Quantity().setValue(40).setUnit("mg").setSystem(UCUM).setCode("mg"));
        return session;
    }

    private String create(Resource resource) {
        return client().create().resource(resource).execute().getId().toUnqualifiedVersionless().getValue();
    }

    // ---- helpers

    private void renderPatientFixture() {
        browser.open(page("/report/patient.html"));
        browser.script("KetaReport.patient.render(document.getElementById('report'), JSON.parse(arguments[0]), JSON.parse(arguments[1]));",
                resource("report/patient-summary.json"), resource("report/patient.json"));
        assertThat(browser.script("return document.body.getAttribute('data-state');")).isEqualTo("ready");
    }

    private void renderCohortFixture() {
        browser.open(page("/report/cohort.html"));
        browser.script("KetaReport.cohort.render(document.getElementById('report'), JSON.parse(arguments[0]));",
                resource("report/cohort-summary.json"));
        assertThat(browser.script("return document.body.getAttribute('data-state');")).isEqualTo("ready");
    }

    /** The chart of an instrument, by the id of its Questionnaire. */
    private WebElement chart(String questionnaire) {
        return section(".chart[data-questionnaire$='/" + questionnaire + "']");
    }

    private WebElement section(String css) {
        return browser.driver().findElement(By.cssSelector(css));
    }

    private long seriesLength(WebElement chart, String seriesId) {
        Object length = browser.script("var id = arguments[1];"
                + "var found = echarts.getInstanceByDom(arguments[0]).getOption().series.filter(function (s) { return s.id === id; });"
                + "return found.length ? found[0].data.length : 0;", chart, seriesId);
        return length == null ? 0 : ((Number) length).longValue();
    }

    private String page(String path) {
        return "http://localhost:" + port + path;
    }

    /** On PostgreSQL the test servers require tokens (see TestDatabase): the page takes one from the URL fragment. */
    private static String withToken(String url) {
        return TestDatabase.authorizationHeader()
                .map(header -> url + "#access_token=" + header.substring("Bearer ".length()))
                .orElse(url);
    }

    private HttpResponse<String> get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(page(path))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(path, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ReportPageIT.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
