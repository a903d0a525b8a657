/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The published kit holds the compatibility kits and the conformance suites only: no engine internals, and none
 * of the browser, Node, tus-client, child-JVM or S3Mock tooling of the project's own interop tests.
 */
class TestKitArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torrin.testkit");

    @Test
    void kitWhenCompiledThenUsesNeitherEngineInternalsNorInteropTooling() {
        noClasses()
                .that()
                .resideInAPackage("io.torrin.testkit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.torrin.server.internal..", "io.torrin.testsupport..", "io.tus..")
                .check(CLASSES);
    }

    @Test
    void packagesWhenCompiledThenFormNoCycles() {
        slices().matching("io.torrin.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
