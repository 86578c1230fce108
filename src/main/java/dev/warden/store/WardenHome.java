package dev.warden.store;

import dev.warden.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The state directory: WARDEN_HOME, or ~/.warden. Layout is documented in DESIGN.md. */
public record WardenHome(Path root) {

    public static WardenHome fromEnvironment() {
        String env = System.getProperty("warden.home", System.getenv("WARDEN_HOME"));
        Path root = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".warden");
        return new WardenHome(root.toAbsolutePath().normalize());
    }

    public Path database() { return root.resolve("warden.db"); }
    public Path runs() { return root.resolve("runs"); }
    public Path run(String runId) { return runs().resolve(runId); }
    public Path rulesDir() { return root.resolve("rules.d"); }
    public Path locks() { return root.resolve("locks"); }

    /** Creates the directory and proves it is writable, or explains in one line what to do. */
    public WardenHome ensureWritable() {
        try {
            Files.createDirectories(runs());
            Path probe = AtomicFiles.createTemp(root, ".probe.");
            Files.delete(probe);
            return this;
        } catch (IOException | SecurityException e) {
            throw new UserError("WARDEN_HOME " + root + " is not writable (" + e.getClass().getSimpleName()
                    + "); point WARDEN_HOME at a writable directory with free space", UserError.CONFIG);
        }
    }
}
