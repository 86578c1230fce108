package dev.warden.checkpoint;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the seal of a checkpoint lives. A directory checkpoint carries it inside (warden.seal.json and the
 * manifest), so it travels with every copy; a single-file checkpoint (Lightning's *.ckpt) has it beside it
 * (NAME.warden.seal.json, NAME.warden.sha256).
 *
 * @param checkpoint the checkpoint (directory or file)
 * @param directory  the directory the manifest's names are relative to: where `sha256sum -c` runs
 * @param prefix     "" for a directory checkpoint, "NAME." for a file
 */
public record SealPaths(Path checkpoint, Path directory, String prefix) {
    public static final String RECORD_NAME = "warden.seal.json";
    /** Written by the watcher while a checkpoint without a framework marker is being saved; see {@link #unfinished()}. */
    public static final String UNFINISHED_NAME = "warden.unfinished";
    private static final Set<String> OWN_NAMES = Set.of(RECORD_NAME, UNFINISHED_NAME,
            Algorithm.SHA256.manifestName(), Algorithm.XXH128.manifestName());
    /** AtomicFiles' temp files for our own names: left behind only by a kill during a write. */
    private static final Pattern OWN_TEMP = Pattern.compile("\\..*warden\\.(seal\\.json|sha256|xxh128|unfinished)\\..*\\.tmp");

    public static SealPaths of(Path checkpoint) {
        if (Files.isDirectory(checkpoint, LinkOption.NOFOLLOW_LINKS)) {
            return new SealPaths(checkpoint, checkpoint, "");
        }
        Path parent = checkpoint.toAbsolutePath().getParent();
        return new SealPaths(checkpoint, parent, checkpoint.getFileName().toString() + ".");
    }

    public Path record() {
        return directory.resolve(prefix + RECORD_NAME);
    }

    public Path manifest(Algorithm algorithm) {
        return directory.resolve(prefix + algorithm.manifestName());
    }

    /**
     * Marker the watcher keeps fresh while it sees a checkpoint being written (layouts with no completion
     * marker of their own: DeepSpeed, generic). If the run dies mid-save it stays behind, so the cut-off
     * checkpoint is never taken for one that merely settled. Removed once the checkpoint is sealed.
     */
    public Path unfinished() {
        return directory.resolve(prefix + UNFINISHED_NAME);
    }

    public boolean sealed() {
        return Files.isRegularFile(record(), LinkOption.NOFOLLOW_LINKS);
    }

    /** True for a name Warden writes next to checkpoint data: never part of a checkpoint's content. */
    static boolean isOwnFile(String name) {
        if (OWN_NAMES.contains(name) || OWN_TEMP.matcher(name).matches()) {
            return true;
        }
        for (String own : OWN_NAMES) {
            if (name.endsWith("." + own)) {
                return true;
            }
        }
        return false;
    }
}
