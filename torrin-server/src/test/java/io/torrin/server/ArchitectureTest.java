/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules of ARCHITECTURE.md §2 and of docs/engine.md, enforced on the compiled classes of core and server. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torrin.core", "io.torrin.server");

    @Test
    void coreWhenCompiledThenDependsOnlyOnTheJdk() {
        classes()
                .that()
                .resideInAPackage("io.torrin.core..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.torrin.core..", "java..")
                .check(CLASSES);
    }

    @Test
    void coreAndServerWhenCompiledThenUseNoServletSpringOrAwsTypes() {
        noClasses()
                .that()
                .resideInAnyPackage("io.torrin.core..", "io.torrin.server..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta.servlet..",
                        "javax.servlet..",
                        "org.springframework..",
                        "software.amazon..",
                        "com.amazonaws..",
                        "io.micrometer..")
                .check(CLASSES);
    }

    @Test
    void serverWhenCompiledThenDependsOnlyOnCoreJacksonAndSlf4j() {
        classes()
                .that()
                .resideInAPackage("io.torrin.server..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.torrin.core..", "io.torrin.server..", "java..", "com.fasterxml.jackson..", "org.slf4j..")
                .check(CLASSES);
    }

    @Test
    void packagesWhenCompiledThenFormNoCycles() {
        slices().matching("io.torrin.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void spiWhenCompiledThenKnowsOnlyTheCore() {
        classes()
                .that()
                .resideInAPackage("io.torrin.server.spi")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.torrin.core..", "io.torrin.server.spi", "java..")
                .check(CLASSES);
    }

    @Test
    void backendsWhenCompiledThenSeeOnlyTheSpiItsSupportAndTheCore() {
        classes()
                .that()
                .resideInAnyPackage(
                        "io.torrin.server.spi.support..", "io.torrin.server.memory..", "io.torrin.server.file..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.torrin.core..",
                        "io.torrin.server.spi..",
                        "io.torrin.server.memory..",
                        "io.torrin.server.file..",
                        "java..",
                        "com.fasterxml.jackson..",
                        "org.slf4j..")
                .check(CLASSES);
    }

    @Test
    void internalsWhenCompiledThenNeverReachUpIntoTheFacadeOrTheProtocols() {
        noClasses()
                .that()
                .resideInAPackage("io.torrin.server.internal..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.torrin.server",
                        "io.torrin.server.http..",
                        "io.torrin.server.memory..",
                        "io.torrin.server.file..")
                .check(CLASSES);
    }

    @Test
    void protocolsWhenCompiledThenGoThroughTheFacadeNotTheSpi() {
        noClasses()
                .that()
                .resideInAPackage("io.torrin.server.http..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.torrin.server.spi..", "io.torrin.server.memory..", "io.torrin.server.file..")
                .check(CLASSES);
    }

    @Test
    void coreWhenCompiledThenNeverReachesIntoTheServer() {
        noClasses()
                .that()
                .resideInAPackage("io.torrin.core..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.torrin.server..")
                .check(CLASSES);
    }
}
