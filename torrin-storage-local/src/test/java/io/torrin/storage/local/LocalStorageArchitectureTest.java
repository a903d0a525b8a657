package io.torrin.storage.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A storage module depends only on the core and the server's SPI, never on the engine's internals. */
class LocalStorageArchitectureTest {

    @Test
    void localDriverWhenCompiledThenUsesOnlyCoreServerSpiJdkAndSlf4j() {
        classes().that().resideInAPackage("io.torrin.storage.local..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.torrin.storage.local..",
                        "io.torrin.core..", "io.torrin.server", "java..", "org.slf4j..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.torrin.storage.local"));
    }
}
