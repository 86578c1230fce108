package dev.warden.checkpoint;

import dev.warden.spec.CheckpointSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run's checkpoints are bound to: the dataset's content and the config keys that change the model's
 * shape. Stored in every seal; compared with the current ones before resuming.
 */
public record Fingerprints(Dataset dataset, Config config) {
    public static final Fingerprints NONE = new Fingerprints(null, null);

    /**
     * @param value SHA-256 over every file's relative name, size and XXH3-128 digest, in order
     * @param paths the dataset paths as the spec names them
     */
    public record Dataset(String value, int files, long bytes, List<String> paths) {}

    /**
     * @param file  the config file as the spec names it
     * @param value SHA-256 of the canonical JSON of the keys and their values
     * @param keys  each dotted key with its canonical value (null when the file lacks it)
     */
    public record Config(String file, String value, Map<String, Object> keys) {}

    /** The fingerprints the spec asks for; a dataset file is re-read only when its size or mtime changed. */
    public static Fingerprints compute(CheckpointSpec spec, Path specDir, FingerprintCache cache) {
        CheckpointSpec.Fingerprint f = spec == null ? null : spec.fingerprint();
        if (f == null) {
            return NONE;
        }
        Dataset dataset = f.dataset() == null || f.dataset().isEmpty() ? null
                : DatasetFingerprinter.compute(f.dataset(), specDir, cache);
        Config config = f.config() == null ? null : ConfigFingerprinter.compute(f.config(), specDir);
        return new Fingerprints(dataset, config);
    }
}
