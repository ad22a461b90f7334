package org.ketafhir.scoring;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.CodeType;

/** Small synthetic instruments for the rules no shipped instrument uses, and for broken definitions. */
final class TestQuestionnaires {

    static final String SYSTEM = "http://example.org/test-instrument";

    private TestQuestionnaires() {}

    /** Three items a, b, c weighted 0..3, a read-only total item "total"; no scoring extension yet. */
    static Questionnaire threeItems(String url) {
        Questionnaire q = new Questionnaire();
        q.setUrl(url);
        q.setVersion("1");
        q.addCode(new Coding(SYSTEM, "form-" + url.hashCode(), null));
        for (String linkId : new String[] {"a", "b", "c"}) {
            var item = q.addItem().setLinkId(linkId).setType(QuestionnaireItemType.CHOICE);
            item.addCode(new Coding(SYSTEM, linkId, null));
            for (int w = 0; w <= 3; w++) {
                Coding answer = new Coding(SYSTEM, linkId + "-" + w, null);
                answer.addExtension(InstrumentCatalog.ORDINAL_VALUE, new DecimalType(w));
                item.addAnswerOption().setValue(answer);
            }
        }
        q.addItem().setLinkId("total").setType(QuestionnaireItemType.INTEGER).setReadOnly(true)
                .addCode(new Coding(SYSTEM, "total", null));
        return q;
    }

    static Extension scoring(String... items) {
        Extension ext = new Extension(InstrumentCatalog.SCORING_EXTENSION);
        ext.addExtension("code", new Coding(SYSTEM, "total", null));
        for (String item : items) {
            ext.addExtension("item", new StringType(item));
        }
        return ext;
    }

    static Extension prorating(String method, Integer maxMissing) {
        Extension ext = new Extension("prorating");
        ext.addExtension("method", new CodeType(method));
        if (maxMissing != null) {
            ext.addExtension("maxMissing", new IntegerType(maxMissing));
        }
        return ext;
    }

    static Extension band(int low, int high, String code) {
        Extension ext = new Extension("band");
        ext.addExtension("low", new IntegerType(low));
        ext.addExtension("high", new IntegerType(high));
        ext.addExtension("interpretation", new Coding(SYSTEM, code, null));
        return ext;
    }

    static Extension safetyRule(String level, String expression, String evidence) {
        Extension ext = new Extension(InstrumentCatalog.SAFETY_RULE_EXTENSION);
        ext.addExtension("signal", new Coding(SYSTEM, "signal-" + level, null));
        ext.addExtension("level", new CodeType(level));
        ext.addExtension("expression", new Expression().setLanguage("text/fhirpath").setExpression(expression));
        ext.addExtension("evidence", new StringType(evidence));
        ext.addExtension("priority", new CodeType("urgent"));
        ext.addExtension("action", new StringType("Review the response today."));
        return ext;
    }
}
