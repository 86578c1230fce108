package dev.warden.diagnose;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every real-text fixture says where its text comes from (house rule: fixtures cite their public source). */
class FixtureProvenanceTest {

    @Test
    void everyFixtureIsListedInSourcesMd() throws IOException {
        Path root = Fixtures.path("SOURCES.md").getParent();
        String sources = Files.readString(root.resolve("SOURCES.md"));
        List<String> fixtures;
        try (Stream<Path> s = Files.walk(root)) {
            fixtures = s.filter(p -> p.toString().endsWith(".txt")).map(p -> p.getFileName().toString()).toList();
        }

        assertThat(fixtures).hasSizeGreaterThan(40);
        for (String f : fixtures) {
            String listed = f.startsWith("local_gloo_rank1_") ? "local_gloo_rank1_" : f;
            assertThat(sources).as("SOURCES.md lists %s", f).contains(listed);
        }
    }
}
