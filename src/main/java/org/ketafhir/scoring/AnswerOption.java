package org.ketafhir.scoring;

import org.hl7.fhir.r4.model.Coding;

/** An answer of a scored item and its weight (the ordinalValue of its coding). */
public record AnswerOption(Coding coding, int weight) {}
