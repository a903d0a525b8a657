/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The servlet adapter only translates: it sees the neutral HTTP exchange, never the engine, stores or storage. */
class ServletArchitectureTest {

    @Test
    void adapterWhenCompiledThenDependsOnlyOnTheHttpExchangeAndTheServletApi() {
        classes()
                .that()
                .resideInAPackage("io.torrin.servlet..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.torrin.servlet..", "io.torrin.server.http..", "jakarta.servlet..", "java..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.torrin.servlet"));
    }

    @Test
    void packagesWhenCompiledThenFormNoCycles() {
        slices().matching("io.torrin.(**)")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.torrin.servlet"));
    }
}
