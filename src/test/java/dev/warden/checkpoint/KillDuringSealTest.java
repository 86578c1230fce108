package dev.warden.checkpoint;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sealing process killed with SIGKILL at any point leaves either no seal or a whole one that verifies.
 * The child stops at a chosen phase ("pause") so the kill lands exactly there, or keeps running ("race")
 * so the kill lands wherever it lands just after that phase.
 */
class KillDuringSealTest {

    @ParameterizedTest(name = "kill at {0} ({1}, {2}, resealing: {3})")
    @CsvSource({
            "listed,           pause, sha256, false",
            "hashing,          pause, sha256, false",
            "hashed,           pause, xxh128, false",
            "manifest-written, pause, sha256, false",
            "manifest-written, pause, xxh128, true",
            "hashing,          race,  sha256, true",
            "hashed,           race,  sha256, false",
            "manifest-written, race,  xxh128, false",
            "manifest-written, race,  sha256, true",
    })
    void killLeavesNoSealOrAWholeOne(String phase, String mode, String alg, boolean resealing, @TempDir Path dir) throws Exception {
        Random r = new Random(phase.hashCode() * 31L + mode.hashCode());
        Path ckpt = dir.resolve("checkpoint-10");
        for (int i = 0; i < 6; i++) {
            Fixtures.file(ckpt.resolve("shard-" + i + ".bin"), Fixtures.random(r, 2_000_000));
        }
        if (resealing) {
            Sealer.seal(ckpt, Algorithm.parse(alg).equals(Algorithm.SHA256) ? Algorithm.XXH128 : Algorithm.SHA256, Fingerprints.NONE);
        }

        Process child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                SealChild.class.getName(), ckpt.toString(), alg, mode.equals("pause") ? phase : "none")
                .redirectErrorStream(true).start();
        List<String> said = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readLines(child, said));
        reader.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> said.contains(phase) || !child.isAlive());
        assertThat(said).as("child output").contains(phase);
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        reader.join(5000);

        SealPaths seal = SealPaths.of(ckpt);
        if (seal.sealed()) {
            VerifyReport report = Verifier.verify(ckpt);
            assertThat(report.ok()).as("a seal left behind must be whole: %s", report.problems()).isTrue();
        } else {
            assertThat(Verifier.verify(ckpt).sealed()).isFalse();
        }
        if (mode.equals("pause") && !phase.equals("sealed")) {
            assertThat(seal.sealed()).as("killed before the commit point").isFalse();
        }
        // and sealing again afterwards just works
        Sealer.seal(ckpt, Algorithm.parse(alg), Fingerprints.NONE);
        assertThat(Verifier.verify(ckpt).ok()).isTrue();
        assertThat(Fixtures.names(ckpt)).noneMatch(n -> n.endsWith(".tmp"));
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void readLines(Process p, List<String> into) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                into.add(line.trim());
            }
        } catch (IOException e) {
            // the child was killed: its pipe closes
        }
    }
}
