/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The starter maps configuration onto builders; it holds no protocol or upload logic of its own. */
class SpringArchitectureTest {

    @Test
    void starterWhenCompiledThenNeverTouchesEngineInternalsOrRequestBodies() {
        noClasses()
                .that()
                .resideInAPackage("io.torrin.spring..")
                // Spring's form filter, minus Torrin's paths: decides by path alone and reads nothing
                .and()
                .doNotHaveSimpleName("TorrinFormContentFilter")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.torrin.server.internal..", "java.io..", "jakarta.servlet.http..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.torrin.spring"));
    }

    @Test
    void packagesWhenCompiledThenFormNoCycles() {
        slices().matching("io.torrin.(**)")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.torrin.spring"));
    }
}
