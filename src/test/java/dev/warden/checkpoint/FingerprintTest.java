package dev.warden.checkpoint;

import dev.warden.UserError;
import dev.warden.spec.CheckpointSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FingerprintTest {
    @TempDir
    Path dir;

    private Fingerprints.Config config(String file, String... keys) {
        return ConfigFingerprinter.compute(new CheckpointSpec.ConfigKeys(file, List.of(keys)), dir);
    }

    @Test
    void configFingerprintIgnoresFormattingAndKeyOrder() {
        Fixtures.file(dir.resolve("a.yaml"), "# LoRA\nlora:\n  r: 64\n  alpha: 128\n  dropout: 0.05\nlr: 3e-4\n");
        Fixtures.file(dir.resolve("b.json"), "{\"lr\": 0.001, \"lora\": {\"dropout\": 0.050, \"alpha\": 128.0, \"r\": 64}}");

        Fingerprints.Config a = config("a.yaml", "lora.r", "lora.alpha", "lora.dropout");
        Fingerprints.Config b = config("b.json", "lora.alpha", "lora.dropout", "lora.r");

        assertThat(a.value()).isEqualTo(b.value());
        assertThat(a.keys()).containsOnlyKeys("lora.r", "lora.alpha", "lora.dropout");
    }

    @Test
    void changingANamedKeyChangesTheFingerprintOtherKeysDoNot() {
        Fixtures.file(dir.resolve("c.yaml"), "lora: {r: 64, alpha: 128}\nlr: 1\n");
        String before = config("c.yaml", "lora.r", "lora.alpha").value();
        Fixtures.file(dir.resolve("c.yaml"), "lora: {r: 64, alpha: 128}\nlr: 2\n");
        assertThat(config("c.yaml", "lora.r", "lora.alpha").value()).isEqualTo(before);
        Fixtures.file(dir.resolve("c.yaml"), "lora: {r: 128, alpha: 128}\nlr: 2\n");
        assertThat(config("c.yaml", "lora.r", "lora.alpha").value()).isNotEqualTo(before);
    }

    @Test
    void missingKeyIsRecordedAsNullNotAnError() {
        Fixtures.file(dir.resolve("c.yaml"), "lora: {r: 64}\n");
        assertThat(config("c.yaml", "lora.r", "lora.alpha").keys()).containsEntry("lora.alpha", null).containsEntry("lora.r", 64);
    }

    @Test
    void missingOrBrokenConfigFileIsOneLineNamingIt() {
        assertThatThrownBy(() -> config("nope.yaml", "lora.r")).isInstanceOf(UserError.class)
                .hasMessageContaining("nope.yaml").hasMessageContaining("does not exist");
        Fixtures.file(dir.resolve("bad.json"), "{\"lora\": ");
        assertThatThrownBy(() -> config("bad.json", "lora.r")).isInstanceOf(UserError.class)
                .hasMessageContaining("bad.json").hasMessageContaining("cannot be parsed");
    }

    @Test
    void datasetFingerprintFollowsContentNotLocation() throws Exception {
        Fixtures.file(dir.resolve("a/train.jsonl"), "{\"text\": \"hello\"}\n");
        Fixtures.file(dir.resolve("a/shards/0.bin"), "zero");
        Fixtures.file(dir.resolve("b/train.jsonl"), "{\"text\": \"hello\"}\n");
        Fixtures.file(dir.resolve("b/shards/0.bin"), "zero");

        Fingerprints.Dataset a = DatasetFingerprinter.compute(List.of("a"), dir, FingerprintCache.none());
        Fingerprints.Dataset b = DatasetFingerprinter.compute(List.of("b"), dir, FingerprintCache.none());
        assertThat(a.value()).isEqualTo(b.value());
        assertThat(a.files()).isEqualTo(2);

        Fixtures.file(dir.resolve("b/shards/0.bin"), "zer0");
        assertThat(DatasetFingerprinter.compute(List.of("b"), dir, FingerprintCache.none()).value()).isNotEqualTo(a.value());
    }

    @Test
    void cachedDigestIsUsedWhileSizeAndMtimeStayTheSame() throws Exception {
        Path data = Fixtures.file(dir.resolve("data.jsonl"), "aaaa\n");
        Path cacheFile = dir.resolve("home/cache/dataset-digests.json");
        String first = DatasetFingerprinter.compute(List.of("data.jsonl"), dir, FingerprintCache.at(cacheFile)).value();
        assertThat(cacheFile).exists();
        assertThat(SealJson.MAPPER.readTree(cacheFile.toFile()).size()).isEqualTo(1);

        // same size, same mtime, different bytes: the cache answers, the file is not re-read
        FileTime mtime = Files.getLastModifiedTime(data);
        Files.writeString(data, "bbbb\n");
        Files.setLastModifiedTime(data, mtime);
        assertThat(DatasetFingerprinter.compute(List.of("data.jsonl"), dir, FingerprintCache.at(cacheFile)).value()).isEqualTo(first);

        // a new mtime: read again
        Files.setLastModifiedTime(data, FileTime.fromMillis(mtime.toMillis() + 1000));
        assertThat(DatasetFingerprinter.compute(List.of("data.jsonl"), dir, FingerprintCache.at(cacheFile)).value()).isNotEqualTo(first);
    }

    @Test
    void theCacheForgetsFilesThatAreGoneAndReadsItsEarlierPrettyPrintedForm() throws Exception {
        Path kept = Fixtures.file(dir.resolve("kept.jsonl"), "aaaa\n");
        Path gone = Fixtures.file(dir.resolve("gone.jsonl"), "bbbb\n");
        Path cacheFile = dir.resolve("home/cache/dataset-digests.json");
        DatasetFingerprinter.compute(List.of("kept.jsonl", "gone.jsonl"), dir, FingerprintCache.at(cacheFile));
        assertThat(SealJson.MAPPER.readTree(cacheFile.toFile()).size()).isEqualTo(2);

        Files.delete(gone);
        Files.writeString(kept, "cccc\n");
        Files.setLastModifiedTime(kept, FileTime.fromMillis(Files.getLastModifiedTime(kept).toMillis() + 1000));
        DatasetFingerprinter.compute(List.of("kept.jsonl"), dir, FingerprintCache.at(cacheFile));

        assertThat(SealJson.MAPPER.readTree(cacheFile.toFile()).fieldNames()).toIterable()
                .containsExactly(kept.toRealPath().toString());
        // the form Warden wrote before (databind, indented) is still read
        String earlier = SealJson.MAPPER.writeValueAsString(Map.of(kept.toRealPath().toString(),
                new FingerprintCache.Entry(5, 1L, "(dev=1,ino=2)", "00ff")));
        Files.writeString(cacheFile, earlier);
        assertThat(FingerprintCache.at(cacheFile).lookup(kept.toRealPath().toString(), 5, 1L, "(dev=1,ino=2)")).isEqualTo("00ff");
    }

    @Test
    void brokenCacheFileIsIgnored() {
        Fixtures.file(dir.resolve("data.jsonl"), "aaaa\n");
        Path cacheFile = Fixtures.file(dir.resolve("cache.json"), "{ garbage");
        String v = DatasetFingerprinter.compute(List.of("data.jsonl"), dir, FingerprintCache.at(cacheFile)).value();
        assertThat(v).isEqualTo(DatasetFingerprinter.compute(List.of("data.jsonl"), dir, FingerprintCache.none()).value());
    }

    @Test
    void missingDatasetPathNamesIt() {
        assertThatThrownBy(() -> DatasetFingerprinter.compute(List.of("data/missing.jsonl"), dir, FingerprintCache.none()))
                .isInstanceOf(UserError.class).hasMessageContaining("data/missing.jsonl").hasMessageContaining("does not exist");
    }

    @Test
    void fingerprintsFromSpec() {
        Fixtures.file(dir.resolve("d.jsonl"), "x\n");
        Fixtures.file(dir.resolve("cfg.yaml"), "lora: {r: 8}\n");
        CheckpointSpec spec = CheckpointSpec.of("ckpt", "huggingface").withFingerprint(
                new CheckpointSpec.Fingerprint(List.of("d.jsonl"), new CheckpointSpec.ConfigKeys("cfg.yaml", List.of("lora.r"))), null, null);
        Fingerprints fp = Fingerprints.compute(spec, dir, FingerprintCache.none());
        assertThat(fp.dataset().paths()).containsExactly("d.jsonl");
        assertThat(fp.config().keys()).isEqualTo(Map.of("lora.r", 8));
        assertThat(Fingerprints.compute(CheckpointSpec.of("ckpt", null), dir, FingerprintCache.none())).isEqualTo(Fingerprints.NONE);
    }
}
