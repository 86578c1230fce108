package dev.warden.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** `warden demo` as a newcomer runs it: a separate process, a fresh WARDEN_HOME, only python3 needed. */
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void demoTellsTheStoryOfAnOomAHangAndAFinish() throws Exception {
        Path out = tmp.resolve("demo.out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.warden.cli.Main", "demo", "--quiet")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("WARDEN_HOME", tmp.resolve("home").toString());
        Process p = pb.start();

        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        String text = String.join("\n", lines);
        assertThat(text).contains("attempt 1 · python3 train.py --steps 30 --batch-size 32")
                .contains("cause: cuda_oom")
                .contains("batch_size 32 → 16")
                .contains("hangs: no progress for")
                .contains("attempt 3 · python3 train.py --steps 30 --batch-size 16")
                .contains("finished after 3 attempts");
        assertThat(lines).filteredOn(l -> l.startsWith("warden ▸")).hasSizeLessThan(17); // the story, plus one line per preflight WARN (no GPU tool where CI runs)
    }
}
