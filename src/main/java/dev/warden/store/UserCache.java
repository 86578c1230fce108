package dev.warden.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Warden's per-user cache of unpacked native libraries, shared by every WARDEN_HOME: $XDG_CACHE_HOME/warden or ~/.cache/warden. */
public final class UserCache {
    private UserCache() {}

    /** The directory, made if needed; empty when there is no home directory or it cannot be written. */
    public static Optional<Path> dir() {
        try {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home", ""), ".cache");
            if (!base.isAbsolute()) {
                return Optional.empty(); // no home directory (user.home is "?" then): nowhere sensible to keep it
            }
            Path dir = base.resolve("warden");
            Files.createDirectories(dir);
            return Files.isWritable(dir) ? Optional.of(dir) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
