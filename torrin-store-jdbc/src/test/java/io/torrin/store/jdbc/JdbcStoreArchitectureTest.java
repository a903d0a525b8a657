package io.torrin.store.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A store module depends on the core, the server's store SPI, Jackson and its own client library only. */
class JdbcStoreArchitectureTest {

    @Test
    void storeWhenCompiledThenUsesOnlyCoreStoreSpiJdkJacksonAndItsClient() {
        classes().that().resideInAPackage("io.torrin.store.jdbc..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.torrin.store.jdbc..", "io.torrin.core..",
                        "io.torrin.server.store", "java..", "com.fasterxml.jackson..", "java.sql..", "javax.sql..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.torrin.store.jdbc"));
    }
}
