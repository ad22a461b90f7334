package org.ketafhir.scoring;

import org.hl7.fhir.r4.model.Coding;

/** A closed score range [low, high] and the Observation.interpretation coding it stands for. */
public record SeverityBand(int low, int high, Coding interpretation) {

    public boolean contains(int value) {
        return value >= low && value <= high;
    }
}
