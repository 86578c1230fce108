package dev.warden.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's AppCDS training runs every command it is given, in one JVM. */
class CdsTrainingTest {
    @Test
    void runsEachCommandInTurn(@TempDir Path dir) throws Exception {
        Path c = Files.createDirectories(dir.resolve("checkpoint-1"));
        Files.writeString(c.resolve("model.bin"), "weights");

        CdsTraining.main(new String[] {"ckpt", "seal", c.toString(), "--then", "ckpt", "seal", "--fast", c.toString(),
                "--then", "ckpt", "verify", c.toString()});

        assertThat(c.resolve("warden.seal.json")).content().contains("\"algorithm\" : \"xxh128\"");
        assertThat(c.resolve("warden.xxh128")).exists();
        assertThat(c.resolve("warden.sha256")).doesNotExist();
    }
}
