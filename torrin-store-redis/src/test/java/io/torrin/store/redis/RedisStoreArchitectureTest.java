package io.torrin.store.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A store module depends on the core, the server's store SPI, Jackson and its own client library only. */
class RedisStoreArchitectureTest {

    @Test
    void storeWhenCompiledThenUsesOnlyCoreStoreSpiJdkJacksonAndItsClient() {
        classes().that().resideInAPackage("io.torrin.store.redis..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.torrin.store.redis..", "io.torrin.core..",
                        "io.torrin.server.store", "java..", "com.fasterxml.jackson..", "redis.clients..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.torrin.store.redis"));
    }
}
