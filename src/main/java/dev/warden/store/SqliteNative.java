package dev.warden.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * sqlite-jdbc copies its native library out of the jar into /tmp on every JVM start (~90 ms, and a 1 MB file per
 * command). Warden keeps one copy per library build in ~/.cache/warden/, named by its CRC, and points the driver
 * at it. Any problem: the driver's own loading applies.
 */
final class SqliteNative {
    private SqliteNative() {}

    /** Per user, shared by every WARDEN_HOME ({@link UserCache}), else WARDEN_HOME/lib. */
    static Path cacheRoot(WardenHome home) {
        return UserCache.dir().orElse(home.root().resolve("lib"));
    }

    static void prepare(WardenHome home) {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        try {
            // from the JVM's own properties: the driver's OSInfo may run `uname` to learn the same
            String arch = switch (System.getProperty("os.arch", "")) {
                case "amd64", "x86_64" -> "x86_64";
                case "aarch64", "arm64" -> "aarch64";
                default -> null;
            };
            if (arch == null || !System.getProperty("os.name", "").equals("Linux") || Files.exists(Path.of("/etc/alpine-release"))) {
                return; // other platforms (and musl): the driver knows best
            }
            String folder = "Linux/" + arch;
            String name = System.mapLibraryName("sqlitejdbc").replace(".dylib", ".jnilib");
            java.net.URL url = SqliteNative.class.getResource("/org/sqlite/native/" + folder + "/" + name);
            if (url == null) {
                return;
            }
            // the jar's directory gives the entry's CRC and size without reading the library: the copy's identity
            String id = url.openConnection() instanceof java.net.JarURLConnection jar && jar.getJarEntry() != null
                    ? Long.toHexString(jar.getJarEntry().getCrc()) + "-" + jar.getJarEntry().getSize() : null;
            if (id == null) {
                return;
            }
            Path dir = cacheRoot(home).resolve("sqlite-" + id);
            Path file = dir.resolve(name);
            if (!Files.exists(file)) {
                try (InputStream in = url.openStream()) {
                    AtomicFiles.write(file, in.readAllBytes());
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
            if (System.getProperty("org.sqlite.tmpdir") == null) {
                // where the driver looks for its stale copies to delete on every start: /tmp may hold thousands of files
                System.setProperty("org.sqlite.tmpdir", dir.toString());
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // the driver extracts its library itself, as it always does
        }
    }
}
