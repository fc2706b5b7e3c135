package dev.parley.protocol.wycheproof;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Wycheproof vectors come from the repository itself, so the tests run in any clone: the
 * folder is inside the repository and holds every file the Java and browser tests read, with
 * its licence and a README naming the source commit.
 */
class VendoredVectorsTest {

    static final List<String> FILES = List.of("x25519_test.json", "ed25519_test.json", "aes_gcm_test.json",
            "hkdf_sha256_test.json", "hmac_sha256_test.json", "mlkem_768_test.json", "mlkem_768_encaps_test.json");

    @Test
    void everyVectorFileIsVendoredWithItsLicenceAndSource() throws Exception {
        Path dir = WycheproofFiles.directory().toAbsolutePath().normalize();
        Path repo = dir.resolve("../..").normalize();
        assertTrue(Files.isRegularFile(repo.resolve("pom.xml")) && Files.isDirectory(repo.resolve("protocol")),
                "the Wycheproof folder " + dir + " is inside the repository");
        for (String file : FILES) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file + " is vendored in " + dir);
            assertTrue(Files.size(dir.resolve(file)) > 10_000, file + " is the whole file");
        }
        assertTrue(Files.readString(dir.resolve("LICENSE")).contains("Apache License"), "the licence is beside them");
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.contains("dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166"), "the README names the source commit");
        FILES.forEach(file -> assertTrue(readme.contains(file), "the README lists " + file));
    }
}
