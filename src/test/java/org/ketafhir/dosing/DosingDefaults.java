package org.ketafhir.dosing;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The dosing settings' defaults, bound as the server binds them, for tests of other capabilities. */
public final class DosingDefaults {

    private DosingDefaults() {}

    public static ReadingWindows readingWindows() {
        return ReadingWindows.of(new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("ketafhir.dosing", DosingProperties.class));
    }
}
