/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A storage module depends only on the core and the server's SPI (and its support package), never on the engine. */
class S3ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torrin.storage.s3");

    @Test
    void s3DriverWhenCompiledThenUsesOnlyCoreTheSpiAndItsOwnLibraries() {
        classes()
                .that()
                .resideInAPackage("io.torrin.storage.s3..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.torrin.storage.s3..",
                        "io.torrin.core..",
                        "io.torrin.server.spi..",
                        "java..",
                        "software.amazon.awssdk..")
                .check(CLASSES);
    }

    @Test
    void packagesWhenCompiledThenFormNoCycles() {
        slices().matching("io.torrin.storage.s3.(**)")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(CLASSES);
    }
}
