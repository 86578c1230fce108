package dev.warden.checkpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What verify found. {@link #ok()} only when the seal exists and every file is present, unchanged and alone.
 *
 * @param seal        the seal record, or null when there is none or it is unreadable
 * @param problems    every problem found, in the order found (seal, manifest, missing, extra, sizes, hashes)
 * @param bytesHashed bytes read to compare digests (0 when sizes already failed and verify stopped early)
 * @param engine      which digester ran ("java", "native libcrypto"), or "" when nothing was hashed
 */
public record VerifyReport(Path checkpoint, SealRecord seal, List<Problem> problems, long bytesHashed, Duration took,
                           String engine) {

    public boolean ok() {
        return seal != null && problems.isEmpty();
    }

    public boolean sealed() {
        return problems.stream().noneMatch(p -> p instanceof Problem.NotSealed);
    }

    /** One line: "ok: 12 files, 4.0 GiB (sha256)" or "CORRUPT: 3 problems: truncated: model.bin ...". */
    public String summary() {
        if (ok()) {
            return "ok: " + seal.files().size() + " files, " + dev.warden.spec.Sizes.format(seal.totalBytes())
                    + " (" + seal.algorithm() + ")";
        }
        if (!sealed()) {
            return "NOT SEALED: " + problems.get(0).describe();
        }
        return "CORRUPT: " + problems.size() + (problems.size() == 1 ? " problem: " : " problems: ") + problems.get(0).describe()
                + (problems.size() > 1 ? "; ..." : "");
    }
}
