package dev.warden.diagnose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bench compares with grep using the catalog's own patterns: the export must mean the same to GNU grep. */
class GrepPatternsTest {

    @TempDir
    Path tmp;

    @Test
    void literalsAreEscapedAndJavaOnlyGroupSyntaxIsRemoved() {
        assertThat(GrepPatterns.escape("Error(s) in loading state_dict for")).isEqualTo("Error\\(s\\) in loading state_dict for");
        assertThat(GrepPatterns.toEre("amdgpu (?<gpu>[0-9a-f]{4}): (?:amdgpu: )?SMU \\d")).isEqualTo("amdgpu ([0-9a-f]{4}): (amdgpu: )?SMU [0-9]");
    }

    @Test
    void grepWithTheExportedPatternsFindsEveryLineTheRulesMatchInTheFixtures() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/grep")) || Files.isExecutable(Path.of("/usr/bin/grep")), "GNU grep is not installed");
        Path patterns = tmp.resolve("patterns.txt");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            GrepPatterns.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        Files.write(patterns, buf.toByteArray());
        Compiled compiled = new Compiled(Catalog.builtin());

        for (String fixture : List.of("cuda_oom.txt", "xid48_reset.txt", "amd_smu_0xffffffff.txt", "device_side_assert.txt",
                "local/local_state_dict_mismatch.txt", "nccl_timeout.txt", "hang_faulthandler.txt", "command_not_found_dash.txt")) {
            byte[] bytes = Files.readAllBytes(Fixtures.path(fixture));
            Set<Long> javaLines = new TreeSet<>();
            for (WindowScan.Match m : new WindowScan(compiled, w -> { }).run(Bytes.of(bytes), 0, bytes.length, 0).matches()) {
                javaLines.add(m.line());
            }
            assertThat(grepLines(patterns, Fixtures.path(fixture))).as(fixture).containsAll(javaLines);
        }
    }

    private static Set<Long> grepLines(Path patterns, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("grep", "-E", "-n", "-f", patterns.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isIn(0, 1);
        Set<Long> lines = new TreeSet<>();
        for (String l : out.split("\n")) {
            if (!l.isEmpty()) {
                lines.add(Long.parseLong(l.substring(0, l.indexOf(':'))));
            }
        }
        return lines;
    }
}
