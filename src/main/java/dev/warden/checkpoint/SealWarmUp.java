package dev.warden.checkpoint;

import dev.warden.spec.Sizes;

import java.time.Instant;
import java.util.List;

/**
 * Loads what a seal needs only once its files are hashed: number and time formatting, the record's writer.
 * `warden ckpt seal` runs it while the hash library loads on the other core ({@link NativeWarmUp}), when this thread
 * would otherwise wait; in a fresh JVM that takes ~20 ms off the end of the seal instead of adding them to its start.
 */
public final class SealWarmUp {
    private SealWarmUp() {}

    public static void run(Algorithm algorithm) {
        try {
            Sizes.format(1L << 30);
            SealRecordJson.write(new SealRecord(SealRecord.FORMAT, "checkpoint-1", 1L, algorithm.id(), algorithm.manifestName(),
                    "0".repeat(64), List.of(new SealRecord.FileHash("model.bin", 1, "0".repeat(algorithm.hexLength()))), 1,
                    null, null, Instant.now(), WardenVersion.VALUE));
        } catch (RuntimeException e) {
            // the seal meets the same problem where it can say what went wrong
        }
    }
}
