/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A store module depends only on the core, the server's SPI (and its support package) and its own client. */
class JdbcStoreArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torrin.store.jdbc");

    @Test
    void jdbcStoreWhenCompiledThenUsesOnlyCoreTheSpiAndItsOwnLibraries() {
        classes()
                .that()
                .resideInAPackage("io.torrin.store.jdbc..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.torrin.store.jdbc..", "io.torrin.core..", "io.torrin.server.spi..", "java..", "javax.sql..")
                .check(CLASSES);
    }

    @Test
    void packagesWhenCompiledThenFormNoCycles() {
        slices().matching("io.torrin.(**)")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(CLASSES);
    }
}
