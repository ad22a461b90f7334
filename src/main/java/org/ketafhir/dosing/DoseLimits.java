package org.ketafhir.dosing;

import java.math.BigDecimal;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The dose levels of the dosing settings that a producer of sessions needs to stay within the rules (the demo clinic):
 * the warning levels in mg/kg per route and the esketamine device, first and largest doses.
 *
 * @param ivWarningMgPerKg      intravenous: a dose above this is a warning
 * @param imWarningMgPerKg      intramuscular: a dose above this is a warning
 * @param oralWarningMgPerKg    oral and sublingual: a dose above this is a warning
 * @param esketamineDeviceMg    esketamine per nasal device
 * @param esketamineFirstDoseMg esketamine on the first day of a course
 * @param esketamineMaxDoseMg   the largest esketamine dose of a session
 */
public record DoseLimits(BigDecimal ivWarningMgPerKg, BigDecimal imWarningMgPerKg, BigDecimal oralWarningMgPerKg,
        int esketamineDeviceMg, int esketamineFirstDoseMg, int esketamineMaxDoseMg) {

    static DoseLimits of(DosingProperties properties) {
        return new DoseLimits(properties.iv().warningMgPerKg(), properties.im().warningMgPerKg(),
                properties.oral().warningMgPerKg(), properties.esketamine().deviceMg(),
                properties.esketamine().firstDoseMg(), properties.esketamine().maxDoseMg());
    }

    /** The server's defaults: {@code ketafhir.dosing.*} bound with no setting given, as the server binds it. */
    public static DoseLimits defaults() {
        return of(new Binder(new MapConfigurationPropertySource()).bindOrCreate("ketafhir.dosing", DosingProperties.class));
    }
}
