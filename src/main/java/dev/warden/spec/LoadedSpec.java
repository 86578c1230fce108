package dev.warden.spec;

import java.nio.file.Path;

/** A validated spec with defaults applied, and where it came from (null file for `warden run -- cmd`). */
public record LoadedSpec(JobSpec spec, Path file, Path dir) {
    public String source() {
        return file == null ? "command line" : file.toString();
    }
}
