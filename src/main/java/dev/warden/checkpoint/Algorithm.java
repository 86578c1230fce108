package dev.warden.checkpoint;

import dev.warden.UserError;

import java.util.Locale;

/**
 * How a seal hashes files. SHA-256 is the default: its manifest is checked by `sha256sum -c`.
 * XXH3-128 is the fast, non-cryptographic choice for very large checkpoints: it catches corruption,
 * not tampering; its manifest is checked by `xxhsum -c` (digests equal `xxhsum -H2`).
 */
public enum Algorithm {
    SHA256("sha256", "warden.sha256", "sha256sum -c warden.sha256", 64),
    XXH128("xxh128", "warden.xxh128", "xxhsum -c warden.xxh128", 32);

    private final String id;
    private final String manifestName;
    private final String checkCommand;
    private final int hexLength;

    Algorithm(String id, String manifestName, String checkCommand, int hexLength) {
        this.id = id;
        this.manifestName = manifestName;
        this.checkCommand = checkCommand;
        this.hexLength = hexLength;
    }

    /** The name written in seals and accepted in warden.yaml. */
    public String id() {
        return id;
    }

    /** File name of the manifest inside a checkpoint directory. */
    public String manifestName() {
        return manifestName;
    }

    /** What a user runs in the checkpoint directory to check it without Warden. */
    public String checkCommand() {
        return checkCommand;
    }

    public int hexLength() {
        return hexLength;
    }

    /** GNU sha256sum escapes backslashes as well as newlines; xxhsum 0.8 cannot read escaped names at all. */
    boolean escapesBackslash() {
        return this == SHA256;
    }

    public static Algorithm parse(String text) {
        if (text == null || text.isBlank()) {
            return SHA256;
        }
        String s = text.trim().toLowerCase(Locale.ROOT).replace("-", "");
        return switch (s) {
            case "sha256" -> SHA256;
            case "xxh128", "xxh3", "xxh3128", "fast" -> XXH128;
            default -> throw new UserError("checkpoint algorithm `" + text + "` is not known; use sha256 or xxh128",
                    UserError.CONFIG);
        };
    }
}
