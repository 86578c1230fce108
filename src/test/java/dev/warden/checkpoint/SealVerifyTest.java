package dev.warden.checkpoint;

import dev.warden.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SealVerifyTest {
    @TempDir
    Path dir;

    private final Random random = new Random(42);

    @Test
    void sealRecordsStepFilesSizesHashesAlgorithmTimeAndVersion() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 1200, random);
        Instant when = Instant.parse("2026-11-26T08:00:00Z");
        Fingerprints fp = new Fingerprints(new Fingerprints.Dataset("d".repeat(64), 2, 10, java.util.List.of("data")),
                new Fingerprints.Config("train.yaml", "c".repeat(64), java.util.Map.of("lora.r", 64)));

        Sealer.seal(ckpt, Algorithm.SHA256, fp,
                new Sealer.Options(null, 2, Progress.NONE, Sealer.Listener.NONE, new MutableClock(when)));

        SealRecord r = SealJson.readRecord(ckpt.resolve("warden.seal.json"));
        assertThat(r.step()).isEqualTo(1200L);
        assertThat(r.algorithm()).isEqualTo("sha256");
        assertThat(r.sealedAt()).isEqualTo(when);
        assertThat(r.wardenVersion()).isNotBlank();
        assertThat(r.files()).extracting(SealRecord.FileHash::path)
                .containsExactly("model.safetensors", "optimizer.pt", "trainer_state.json");
        assertThat(r.files().get(2).size()).isEqualTo(Files.size(ckpt.resolve("trainer_state.json")));
        assertThat(r.files().get(2).hash()).isEqualTo(java.util.HexFormat.of().formatHex(
                JavaDigesters.sha256().digest(Files.readAllBytes(ckpt.resolve("trainer_state.json")))));
        assertThat(r.dataset()).isEqualTo(fp.dataset());
        assertThat(r.config().keys()).containsEntry("lora.r", 64);
        assertThat(Verifier.verify(ckpt).ok()).isTrue();
    }

    @Test
    void unsealedCheckpointIsReportedAsNotSealed() {
        Path ckpt = Fixtures.hfCheckpoint(dir, 1, random);
        VerifyReport r = Verifier.verify(ckpt);
        assertThat(r.ok()).isFalse();
        assertThat(r.sealed()).isFalse();
        assertThat(r.summary()).startsWith("NOT SEALED").contains("warden ckpt seal");
    }

    @Test
    void missingCheckpointIsOneClearUserError() {
        assertThatThrownBy(() -> Sealer.seal(dir.resolve("nope"), Algorithm.SHA256, Fingerprints.NONE))
                .isInstanceOf(UserError.class).hasMessageContaining("does not exist").hasMessageContaining("nope");
        assertThatThrownBy(() -> Verifier.verify(dir.resolve("nope"))).isInstanceOf(UserError.class);
    }

    @Test
    void emptyCheckpointCannotBeSealed() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> Sealer.seal(dir.resolve("empty"), Algorithm.SHA256, Fingerprints.NONE))
                .isInstanceOf(UserError.class).hasMessageContaining("no files");
    }

    @Test
    void handEditedManifestIsCaughtAndNamesTheFile() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        SealRecord seal = Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        Path manifest = ckpt.resolve("warden.sha256");
        String text = Files.readString(manifest);
        String optimizerHash = seal.files().get(1).hash();
        // someone "fixed" a digest by hand so that sha256sum -c passes on a changed file
        Files.writeString(manifest, text.replace(optimizerHash, "0".repeat(64)));

        VerifyReport r = Verifier.verify(ckpt);

        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).containsExactly(
                new Problem.ManifestEdited("optimizer.pt has a different digest in the manifest than in the seal"));
    }

    @Test
    void manifestWithALineRemovedOrAddedIsCaught() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        Path manifest = ckpt.resolve("warden.sha256");
        String text = Files.readString(manifest);
        String withoutFirst = text.substring(text.indexOf('\n') + 1);
        Files.writeString(manifest, withoutFirst + "f".repeat(64) + "  smuggled.bin\n");

        assertThat(Verifier.verify(ckpt).problems()).extracting(Problem::describe).containsExactlyInAnyOrder(
                "manifest edited after sealing: model.safetensors is no longer listed",
                "manifest edited after sealing: smuggled.bin is listed but was not sealed");
    }

    @Test
    void deletedManifestIsReported() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        Files.delete(ckpt.resolve("warden.sha256"));
        assertThat(Verifier.verify(ckpt).problems()).containsExactly(new Problem.ManifestEdited("warden.sha256 is missing"));
    }

    @Test
    void garbageSealRecordIsReportedNotThrown() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        Files.writeString(ckpt.resolve("warden.seal.json"), "{ this is not json");
        VerifyReport r = Verifier.verify(ckpt);
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).singleElement().isInstanceOf(Problem.SealUnreadable.class);
    }

    @Test
    void symlinkLeavingTheCheckpointIsRefusedWhenSealing() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        Path outside = Fixtures.file(dir.resolve("outside.bin"), "secret");
        Files.createSymbolicLink(ckpt.resolve("weights.bin"), outside);

        assertThatThrownBy(() -> Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("symbolic link leaves the checkpoint: weights.bin -> " + outside);
        assertThat(ckpt.resolve("warden.seal.json")).doesNotExist();
    }

    @Test
    void symlinkAddedAfterSealingIsReportedAndNeverRead() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        Files.createSymbolicLink(ckpt.resolve("escape"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(ckpt.resolve("dangling"), Path.of("../gone"));

        assertThat(Verifier.verify(ckpt).problems()).extracting(Problem::describe).containsExactlyInAnyOrder(
                "symbolic link leaves the checkpoint: escape -> /etc/hostname",
                "symbolic link leaves the checkpoint: dangling -> ../gone (dangling)");
    }

    @Test
    void symlinkInsideTheCheckpointIsHashedLikeAFile() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        Files.createSymbolicLink(ckpt.resolve("alias.pt"), Path.of("optimizer.pt"));
        SealRecord r = Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        assertThat(r.files()).extracting(SealRecord.FileHash::path).contains("alias.pt");
        assertThat(Verifier.verify(ckpt).ok()).isTrue();
    }

    @Test
    void checkpointChangingWhileSealedIsRefusedAndLeavesNoSeal() {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        AtomicBoolean once = new AtomicBoolean();
        Progress trainerStillWriting = new Progress() {
            public void start(String label, long total) {}

            public void advance(long bytes) {
                if (once.compareAndSet(false, true)) {
                    Fixtures.file(ckpt.resolve("rng_state.pth"), "late file");
                }
            }

            public void finish() {}
        };

        assertThatThrownBy(() -> Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE,
                Sealer.Options.defaults().withThreads(1).withProgress(trainerStillWriting)))
                .isInstanceOf(UserError.class).hasMessageContaining("still being written")
                .satisfies(e -> assertThat(((UserError) e).exitCode()).isEqualTo(75));
        assertThat(ckpt.resolve("warden.seal.json")).doesNotExist();
    }

    @Test
    void resealingWithTheOtherAlgorithmReplacesManifestAndRecord() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        Sealer.seal(ckpt, Algorithm.XXH128, Fingerprints.NONE);

        assertThat(ckpt.resolve("warden.sha256")).doesNotExist();
        assertThat(ckpt.resolve("warden.xxh128")).exists();
        VerifyReport r = Verifier.verify(ckpt);
        assertThat(r.ok()).isTrue();
        assertThat(r.seal().algorithm()).isEqualTo("xxh128");
    }

    @Test
    void singleFileCheckpointKeepsItsSealBesideIt() throws Exception {
        assumeTrue(Fixtures.onPath("sha256sum"), "sha256sum not installed");
        Path ckpt = Fixtures.file(dir.resolve("epoch=3-step=1200.ckpt"), Fixtures.zip(random, 5000));

        SealRecord r = Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);

        assertThat(r.step()).isEqualTo(1200L);
        assertThat(dir.resolve("epoch=3-step=1200.ckpt.warden.seal.json")).exists();
        Fixtures.Run check = Fixtures.run(dir, "sha256sum", "-c", "epoch=3-step=1200.ckpt.warden.sha256");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(Verifier.verify(ckpt).ok()).isTrue();
    }

    @Test
    void leftoverTempFilesFromAKilledWriteAreNotCheckpointContent() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        Fixtures.file(ckpt.resolve(".warden.seal.json.12345.tmp"), "{\"half");
        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        assertThat(ckpt.resolve(".warden.seal.json.12345.tmp")).doesNotExist(); // cleaned after the commit
        Fixtures.file(ckpt.resolve(".warden.sha256.999.tmp"), "half");
        assertThat(Verifier.verify(ckpt).ok()).isTrue();
    }

    @Test
    void extraFileIsReportedWithItsName() throws Exception {
        Path ckpt = Fixtures.hfCheckpoint(dir, 5, random);
        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        Fixtures.file(ckpt.resolve("sub/late file.bin"), "x".repeat(10));
        assertThat(Verifier.verify(ckpt).problems()).containsExactly(new Problem.Extra("sub/late file.bin", 10));
    }

    @Test
    void manifestIsUtf8AndEndsWithNewline() throws Exception {
        Path ckpt = dir.resolve("c");
        Fixtures.file(ckpt.resolve("ünï.bin"), "x");
        Sealer.seal(ckpt, Algorithm.SHA256, Fingerprints.NONE);
        String text = Files.readString(ckpt.resolve("warden.sha256"), StandardCharsets.UTF_8);
        assertThat(text).endsWith("  ünï.bin\n");
    }
}
