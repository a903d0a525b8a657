/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure the engine through its public API and SPI, like any application; this is a rule, not a
 * benchmark (benchmarks never run in the test phase).
 */
class BenchmarksArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torrin.benchmarks");

    @Test
    void benchmarksWhenCompiledThenUseNoEngineInternals() {
        noClasses()
                .that()
                .resideInAPackage("io.torrin.benchmarks..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.torrin.server.internal..")
                .check(CLASSES);
    }

    @Test
    void packagesWhenCompiledThenFormNoCycles() {
        slices().matching("io.torrin.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
