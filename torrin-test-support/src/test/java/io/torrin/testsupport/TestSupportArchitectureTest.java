/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The interop tooling drives servers from outside: it never reaches into the engine's internals. */
class TestSupportArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torrin.testsupport");

    @Test
    void toolingWhenCompiledThenUsesNoEngineInternals() {
        noClasses()
                .that()
                .resideInAPackage("io.torrin.testsupport..")
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
