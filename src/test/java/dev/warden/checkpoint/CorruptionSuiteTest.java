package dev.warden.checkpoint;

import dev.warden.spec.CheckpointSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random damage to sealed checkpoints: single-byte flips, truncations, growth, deletions, extra
 * files. Verify must report every one, exactly, and nothing else; latest must fall back to the previous
 * valid checkpoint and move the damaged one aside. The seed is in the test name: rerun one by its seed.
 */
class CorruptionSuiteTest {
    enum Damage { FLIP, TRUNCATE, GROW, DELETE, EXTRA }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void verifyReportsEveryDamageAndLatestFallsBack(long seed, @TempDir Path root) throws IOException {
        Random r = new Random(seed);
        MutableClock clock = MutableClock.now();
        Algorithm alg = seed % 2 == 0 ? Algorithm.SHA256 : Algorithm.XXH128;
        Path older = checkpoint(root.resolve("checkpoint-100"), r);
        Path newer = checkpoint(root.resolve("checkpoint-200"), r);
        Sealer.seal(older, alg, Fingerprints.NONE);
        Sealer.seal(newer, alg, Fingerprints.NONE);

        List<String> files = new ArrayList<>(Fixtures.names(newer).stream().filter(n -> !n.startsWith("warden.")).toList());
        addNested(newer, files);
        int count = 1 + r.nextInt(Math.min(4, files.size()));
        Set<Problem> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            Damage d = Damage.values()[r.nextInt(Damage.values().length)];
            String name = d == Damage.EXTRA ? "extra-" + i + (r.nextBoolean() ? " with space" : "") + ".bin"
                    : files.remove(r.nextInt(files.size()));
            expected.add(damage(newer.resolve(name), name, d, r));
            if (files.isEmpty()) {
                break;
            }
        }

        VerifyReport report = Verifier.verify(newer);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Verifier.verify(older).ok()).isTrue();

        clock.advance(Duration.ofHours(1)); // the damage is old news: the checkpoint counts as complete again
        List<Quarantined> quarantined = new ArrayList<>();
        CheckpointSettings settings = CheckpointSettings.from(CheckpointSpec.of(null, "huggingface"), root);
        Optional<Checkpoint> latest = Checkpoints.latestValid(root, settings, UnsealedPolicy.SKIP, true, clock, quarantined::add);

        assertThat(latest).map(Checkpoint::path).contains(older);
        assertThat(quarantined).singleElement().satisfies(q -> {
            assertThat(q.checkpoint().path()).isEqualTo(newer);
            assertThat(q.quarantinedAs().getFileName().toString()).startsWith("checkpoint-200.corrupt-");
            assertThat(q.quarantinedAs()).isDirectory(); // moved aside, not deleted
        });
        assertThat(newer).doesNotExist();
        assertThat(Checkpoints.scan(root, settings, clock)).extracting(Checkpoint::path).containsExactly(older);
    }

    private static Path checkpoint(Path dir, Random r) {
        Fixtures.file(dir.resolve("trainer_state.json"), "{\"step\": 1}");
        int n = 2 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            Fixtures.file(dir.resolve("shard-" + i + ".bin"), Fixtures.random(r, 1 + r.nextInt(50_000)));
        }
        return dir;
    }

    private static void addNested(Path dir, List<String> files) {
        Fixtures.file(dir.resolve("nested/state.bin"), "nested state");
        Sealer.seal(dir, SealJsonAlgorithm.of(dir), Fingerprints.NONE);
        files.add("nested/state.bin");
    }

    private static Problem damage(Path file, String name, Damage d, Random r) throws IOException {
        switch (d) {
            case FLIP -> {
                long size = Files.size(file);
                if (size == 0) {
                    return damage(file, name, Damage.GROW, r);
                }
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    long pos = (long) (r.nextDouble() * size);
                    f.seek(pos);
                    int b = f.read();
                    f.seek(pos);
                    f.write(b ^ (1 + r.nextInt(255)));
                }
                return hashMismatch(file, name, r);
            }
            case TRUNCATE -> {
                long size = Files.size(file);
                if (size == 0) {
                    return damage(file, name, Damage.GROW, r);
                }
                long to = (long) (r.nextDouble() * size);
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.setLength(to);
                }
                return new Problem.SizeMismatch(name, size, to);
            }
            case GROW -> {
                long size = Files.size(file);
                int extra = 1 + r.nextInt(100);
                Files.write(file, Fixtures.random(r, extra), java.nio.file.StandardOpenOption.APPEND);
                return new Problem.SizeMismatch(name, size, size + extra);
            }
            case DELETE -> {
                Files.delete(file);
                return new Problem.Missing(name);
            }
            case EXTRA -> {
                int size = r.nextInt(1000);
                Fixtures.file(file, Fixtures.random(r, size));
                return new Problem.Extra(name, size);
            }
        }
        throw new IllegalStateException();
    }

    private static Problem hashMismatch(Path file, String name, Random unused) throws IOException {
        Path ckpt = file;
        while (!Files.exists(ckpt.resolve("warden.seal.json"))) {
            ckpt = ckpt.getParent();
        }
        SealRecord seal = SealJson.readRecord(ckpt.resolve("warden.seal.json"));
        String sealed = seal.files().stream().filter(f -> f.path().equals(name)).findFirst().orElseThrow().hash();
        String now = FileDigester.java(seal.algorithmValue()).digest(file, n -> {}).hex();
        return new Problem.HashMismatch(name, sealed, now);
    }

    /** Reseals with the algorithm the checkpoint already uses. */
    private static final class SealJsonAlgorithm {
        static Algorithm of(Path dir) {
            try {
                return SealJson.readRecord(dir.resolve("warden.seal.json")).algorithmValue();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
