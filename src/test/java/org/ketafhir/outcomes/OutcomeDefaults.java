package org.ketafhir.outcomes;

import org.ketafhir.dosing.DosingDefaults;
import org.ketafhir.ig.GuidePackage;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The outcome rules the server applies with no setting changed: the settings' defaults, bound as the server does. */
final class OutcomeDefaults {

    private OutcomeDefaults() {}

    static OutcomeRules rules() {
        return new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("ketafhir.outcomes", OutcomeProperties.class)
                .rules(DosingDefaults.readingWindows(), CohortMonths.fromGuide(GuidePackage.builtIn()));
    }
}
