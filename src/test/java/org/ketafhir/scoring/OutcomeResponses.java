package org.ketafhir.scoring;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;

/** QuestionnaireResponses as a clinic's form filler sends them, for the end-to-end tests. */
public final class OutcomeResponses {

    static final String PHQ9 = "http://ketafhir.org/fhir/Questionnaire/phq-9";
    static final String CSSRS = "http://ketafhir.org/fhir/Questionnaire/c-ssrs-screener";
    static final String LOINC = "http://loinc.org";
    static final String INSTRUMENT_CODES = "http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument";
    /** PHQ-9 items 1-9 (item 9 last) and the total. */
    static final String[] PHQ9_ITEMS = {
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"
    };
    static final String PHQ9_TOTAL = "44261-6";
    private static final String[][] PHQ9_ANSWERS = {
        {"LA6568-5", "Not at all"},
        {"LA6569-3", "Several days"},
        {"LA6570-1", "More than half the days"},
        {"LA6571-9", "Nearly every day"}
    };
    /** C-SSRS screener Q1-Q6. */
    static final String[] CSSRS_ITEMS = {"93246-7", "93247-5", "93248-3", "93249-1", "93250-9", "93267-3"};

    private OutcomeResponses() {}

    /** A completed PHQ-9 to the guide's Questionnaire, answers 0-3 as LOINC answer codes, items 1 to 9 in order. */
    public static QuestionnaireResponse phq9(String patient, String authored, int... answers) {
        QuestionnaireResponse response = completed(PHQ9, patient, authored);
        for (int i = 0; i < answers.length; i++) {
            String[] answer = PHQ9_ANSWERS[answers[i]];
            response.addItem().setLinkId(PHQ9_ITEMS[i]).addAnswer().setValue(new Coding(LOINC, answer[0], answer[1]));
        }
        return response;
    }

    /** The same PHQ-9 with the total the client computed (right or wrong) in item 44261-6. */
    static QuestionnaireResponse phq9WithTotal(String patient, String authored, int total, int... answers) {
        QuestionnaireResponse response = phq9(patient, authored, answers);
        response.addItem().setLinkId(PHQ9_TOTAL).addAnswer().setValue(new IntegerType(total));
        return response;
    }

    /** C-SSRS screener answers to Q1-Q6 in order, true = yes, null = not asked. */
    static QuestionnaireResponse cssrs(String patient, String authored, Boolean... answers) {
        QuestionnaireResponse response = completed(CSSRS, patient, authored);
        for (int i = 0; i < answers.length; i++) {
            if (answers[i] != null) {
                Coding answer = answers[i]
                        ? new Coding(LOINC, "LA33-6", "Yes")
                        : new Coding(LOINC, "LA32-8", "No");
                response.addItem().setLinkId(CSSRS_ITEMS[i]).addAnswer().setValue(answer);
            }
        }
        return response;
    }

    /** A completed MADRS, items 1 to 10 rated 0-6 as the guide's answer codes (madrs-answer-N). */
    static QuestionnaireResponse madrs(String patient, String authored, int... ratings) {
        return numbered("http://ketafhir.org/fhir/Questionnaire/madrs", "madrs-", patient, authored, ratings);
    }

    /** A completed QIDS-SR16, items 1 to 16 rated 0-3 as the guide's answer codes (qids-sr16-answer-N). */
    static QuestionnaireResponse qidsSr16(String patient, String authored, int... ratings) {
        return numbered("http://ketafhir.org/fhir/Questionnaire/qids-sr16", "qids-sr16-", patient, authored, ratings);
    }

    private static QuestionnaireResponse numbered(
            String questionnaire, String prefix, String patient, String authored, int... ratings) {
        QuestionnaireResponse response = completed(questionnaire, patient, authored);
        for (int i = 0; i < ratings.length; i++) {
            response.addItem().setLinkId(prefix + String.format("%02d", i + 1)).addAnswer().setValue(new Coding(
                    INSTRUMENT_CODES, prefix + "answer-" + ratings[i], "Rating " + ratings[i]));
        }
        return response;
    }

    static QuestionnaireResponse completed(String questionnaire, String patient, String authored) {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setQuestionnaire(questionnaire);
        response.setStatus(QuestionnaireResponseStatus.COMPLETED);
        response.setSubject(new Reference(patient));
        response.getAuthoredElement().setValueAsString(authored);
        return response;
    }
}
