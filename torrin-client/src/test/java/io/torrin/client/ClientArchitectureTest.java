/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The client depends on the core, the JDK (its HTTP client included), Jackson and SLF4J: no server, servlet or Spring. */
class ClientArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torrin.client");

    @Test
    void clientWhenCompiledThenUsesOnlyCoreTheJdkJacksonAndSlf4j() {
        classes()
                .that()
                .resideInAPackage("io.torrin.client..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.torrin.client..", "io.torrin.core..", "java..", "com.fasterxml.jackson..", "org.slf4j..")
                .check(CLASSES);
    }
}
