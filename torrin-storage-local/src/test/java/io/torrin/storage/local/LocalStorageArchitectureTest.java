/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A storage module depends only on the core and the server's SPI (and its support package), never on the engine. */
class LocalStorageArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torrin.storage.local");

    @Test
    void localDriverWhenCompiledThenUsesOnlyCoreTheSpiAndItsOwnLibraries() {
        classes()
                .that()
                .resideInAPackage("io.torrin.storage.local..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.torrin.storage.local..",
                        "io.torrin.core..",
                        "io.torrin.server.spi..",
                        "java..",
                        "org.slf4j..")
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
