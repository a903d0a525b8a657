/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The metrics module sees the engine only through its public API and SPI, and uses no adapter or backend. */
class MicrometerArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torrin.micrometer");

    @Test
    void metricsWhenCompiledThenUseOnlyTheEngineApiAndMicrometer() {
        classes()
                .that()
                .resideInAPackage("io.torrin.micrometer..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.torrin.micrometer..",
                        "io.torrin.core..",
                        "io.torrin.server",
                        "io.torrin.server.spi",
                        "io.micrometer..",
                        "java..")
                .check(CLASSES);
    }
}
