package dev.warden.checkpoint;

import java.time.Instant;
import java.util.List;

/**
 * warden.seal.json: what a checkpoint held when it was sealed. It is written after the manifest, atomically,
 * and is the commit point: a checkpoint is sealed exactly when this file exists.
 *
 * @param format         version of this file's layout (1)
 * @param checkpoint     the checkpoint's name when sealed (directory or file name)
 * @param step           training step from the name, or null when the name has none
 * @param algorithm      sha256 | xxh128
 * @param manifest       the manifest's file name, next to this record
 * @param manifestSha256 SHA-256 of the manifest's bytes: an edited manifest is caught without hashing the data
 * @param files          every file with its size and digest, sorted by name
 * @param totalBytes     sum of the sizes
 * @param dataset        fingerprint of the dataset the run used, or null
 * @param config         fingerprint of the named config keys, or null
 * @param sealedAt       when the seal was written
 * @param wardenVersion  the Warden that wrote it
 */
public record SealRecord(
        int format,
        String checkpoint,
        Long step,
        String algorithm,
        String manifest,
        String manifestSha256,
        List<FileHash> files,
        long totalBytes,
        Fingerprints.Dataset dataset,
        Fingerprints.Config config,
        Instant sealedAt,
        String wardenVersion) {

    public static final int FORMAT = 1;

    public record FileHash(String path, long size, String hash) {}

    public Algorithm algorithmValue() {
        return Algorithm.parse(algorithm);
    }
}
