package dev.warden.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ManifestTest {
    private static final List<String> AWKWARD = List.of("plain.bin", "with space.bin", "new\nline.bin", "back\\slash.bin",
            "carriage\rreturn.bin", "dash -- name.bin", "  leading spaces.bin", "ünïcödé.bin");

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "xxh128"})
    void everyNameSurvivesFormatAndParse(String alg) {
        Algorithm a = Algorithm.parse(alg);
        String hex = "a".repeat(a.hexLength());
        List<SealRecord.FileHash> files = AWKWARD.stream().map(n -> new SealRecord.FileHash(n, 1, hex)).toList();

        Manifest.Parsed parsed = Manifest.parse(a, Manifest.format(a, files));

        assertThat(parsed.badLines()).isEmpty();
        assertThat(parsed.entries().keySet()).containsExactlyElementsOf(AWKWARD);
    }

    @Test
    void namesWithNewlinesUseTheGnuEscapedForm() {
        String hex = "0".repeat(64);
        assertThat(Manifest.line(Algorithm.SHA256, hex, "a\nb")).isEqualTo("\\" + hex + "  a\\nb");
        assertThat(Manifest.line(Algorithm.SHA256, hex, "a\\b")).isEqualTo("\\" + hex + "  a\\\\b");
        assertThat(Manifest.line(Algorithm.SHA256, hex, "a b")).isEqualTo(hex + "  a b");
        // xxhsum 0.8 cannot read escaped lines: a backslash alone stays raw there
        assertThat(Manifest.line(Algorithm.XXH128, "0".repeat(32), "a\\b")).isEqualTo("0".repeat(32) + "  a\\b");
    }

    @Test
    void unreadableAndRepeatedLinesAreReported() {
        String hex = "b".repeat(64);
        Manifest.Parsed p = Manifest.parse(Algorithm.SHA256, hex + "  a\nnot a manifest line\n" + hex + "  a\n");
        assertThat(p.entries()).containsOnlyKeys("a");
        assertThat(p.badLines()).hasSize(2);
        assertThat(p.badLines().get(0)).contains("line 2");
        assertThat(p.badLines().get(1)).contains("listed twice");
    }

    @Test
    void realSha256sumAcceptsTheManifestAsItIs(@TempDir Path dir) {
        assumeTrue(Fixtures.onPath("sha256sum"), "sha256sum not installed");
        Random r = new Random(7);
        Path ckpt = dir.resolve("checkpoint-7");
        for (String n : AWKWARD) {
            Fixtures.file(ckpt.resolve(n), Fixtures.random(r, 100 + r.nextInt(5000)));
        }
        Fixtures.file(ckpt.resolve("sub dir/nested.bin"), Fixtures.random(r, 10));

        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        Fixtures.Run check = Fixtures.run(ckpt, "sha256sum", "-c", "--strict", "warden.sha256");

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output().lines().filter(l -> l.endsWith(": OK"))).hasSize(AWKWARD.size() + 1);
    }

    @Test
    void manifestLinesAreWhatSha256sumItselfPrints(@TempDir Path dir) throws Exception {
        assumeTrue(Fixtures.onPath("sha256sum"), "sha256sum not installed");
        Random r = new Random(8);
        Path ckpt = dir.resolve("c");
        for (String n : AWKWARD) {
            Fixtures.file(ckpt.resolve(n), Fixtures.random(r, 50));
        }
        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);

        String ours = Files.readString(ckpt.resolve("warden.sha256"), StandardCharsets.UTF_8);
        for (String n : AWKWARD) {
            Fixtures.Run one = Fixtures.run(ckpt, "sha256sum", "--", n);
            assertThat(ours).contains(one.output());
        }
    }

    @Test
    void fastDigestsAreWhatXxhsumH2Prints(@TempDir Path dir) {
        assumeTrue(Fixtures.onPath("xxhsum"), "xxhsum not installed");
        Random r = new Random(9);
        Path ckpt = dir.resolve("c");
        int[] sizes = {0, 1, 16, 17, 128, 129, 240, 241, 1024, 65_537, 1_048_577, 2_500_000};
        for (int s : sizes) {
            Fixtures.file(ckpt.resolve("f" + s + ".bin"), Fixtures.random(r, s));
        }
        Fixtures.file(ckpt.resolve("with space.bin"), Fixtures.random(r, 99));

        SealRecord seal = Sealer.seal(ckpt, Algorithm.XXH128, Fingerprints.NONE);

        for (SealRecord.FileHash f : seal.files()) {
            Fixtures.Run x = Fixtures.run(ckpt, "xxhsum", "-H2", f.path());
            assertThat(x.output().trim()).isEqualTo(f.hash() + "  " + f.path());
        }
        Fixtures.Run check = Fixtures.run(ckpt, "xxhsum", "-c", "warden.xxh128");
        assertThat(check.exit()).as(check.output()).isZero();
    }
}
