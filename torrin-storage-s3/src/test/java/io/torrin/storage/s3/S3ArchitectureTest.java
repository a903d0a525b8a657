package io.torrin.storage.s3;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A storage module depends on the core, the server SPI and its own client library only. */
class S3ArchitectureTest {

    @Test
    void s3DriverWhenCompiledThenUsesOnlyCoreServerSpiJdkAndTheAwsSdk() {
        classes().that().resideInAPackage("io.torrin.storage.s3..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.torrin.storage.s3..", "io.torrin.core..",
                        "io.torrin.server", "java..", "software.amazon.awssdk..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.torrin.storage.s3"));
    }
}
