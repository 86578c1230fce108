package dev.warden.checkpoint;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.warden.store.AtomicFiles;
import dev.warden.store.UserCache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JNA copies its native stub (libjnidispatch, ~130 KB) out of the jar into a temp file on every JVM start, loads
 * it and deletes it again: ~10 ms of a `warden ckpt verify`. Warden keeps one copy per JNA version in
 * ~/.cache/warden/ (as it does for sqlite's library) and points JNA at it through jna.boot.library.path. Any
 * problem, or a path the user set: JNA's own unpacking applies, as before.
 */
final class JnaDispatchCache {
    private JnaDispatchCache() {}

    /** Call before anything touches JNA's Native class; later calls change nothing. */
    static synchronized void use() {
        if (System.getProperty("jna.boot.library.path") != null || "true".equals(System.getProperty("jna.loaded"))) {
            return;
        }
        try {
            String name = System.mapLibraryName("jnidispatch").replace(".dylib", ".jnilib");
            String resource = "/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + name;
            Path root = UserCache.dir().orElse(null);
            if (root == null) {
                return;
            }
            // JNA's version names the stub (a jar with another JNA gets another directory); a compile-time
            // constant, so reading it does not initialise Native
            Path dir = root.resolve("jna-" + Native.VERSION + "-" + Platform.RESOURCE_PREFIX);
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                try (InputStream in = Platform.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return;
                    }
                    AtomicFiles.write(file, in.readAllBytes());
                }
            }
            System.setProperty("jna.boot.library.path", dir.toString());
        } catch (IOException | RuntimeException | LinkageError e) {
            // JNA unpacks its own copy, as it always does
        }
    }
}
