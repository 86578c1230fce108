package dev.warden.supervise;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.warden.store.AtomicFiles;
import dev.warden.store.UserCache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What JNA does on every JVM start that Warden can do cheaper, set before anything touches JNA's Native class:
 * <ul>
 * <li>JNA copies its native stub (libjnidispatch, ~130 KB) out of the jar into a temp file, loads it and deletes it
 * again (~10 ms). Warden keeps one copy per JNA version in ~/.cache/warden/ (as it does for sqlite's library) and
 * points JNA at it through jna.boot.library.path.</li>
 * <li>JNA runs {@code ldconfig -p} to learn the library directories (a process start, ~5 ms). Warden names them
 * itself in jna.platform.library.path: JNA's own list (multiarch, lib64, lib) and the directories of
 * /etc/ld.so.conf, which is where ldconfig's come from.</li>
 * </ul>
 * Any problem, or a property the user set: JNA's own way applies, as before.
 */
public final class JnaStartup {
    private JnaStartup() {}

    /** Later calls change nothing. */
    public static synchronized void prepare() {
        if ("true".equals(System.getProperty("jna.loaded"))) {
            return;
        }
        cacheDispatchStub();
        nameLibraryDirs();
    }

    private static void cacheDispatchStub() {
        if (System.getProperty("jna.boot.library.path") != null) {
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

    private static void nameLibraryDirs() {
        if (System.getProperty("jna.platform.library.path") != null || !Platform.isLinux()) {
            return;
        }
        String multiarch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            default -> null;
        };
        if (multiarch == null) {
            return; // JNA knows the other layouts
        }
        try {
            List<String> dirs = libraryDirs(multiarch, Path.of("/etc/ld.so.conf"));
            if (!dirs.isEmpty()) {
                System.setProperty("jna.platform.library.path", String.join(java.io.File.pathSeparator, dirs));
            }
        } catch (RuntimeException e) {
            // JNA asks ldconfig, as it always does
        }
    }

    /** JNA's fixed directories first, then those ld.so.conf names (following its includes); only those that exist. */
    static List<String> libraryDirs(String multiarch, Path ldSoConf) {
        Set<String> dirs = new LinkedHashSet<>(List.of("/usr/lib/" + multiarch, "/lib/" + multiarch, "/usr/lib64", "/lib64",
                "/usr/lib", "/lib"));
        readConf(ldSoConf, dirs, 0);
        List<String> existing = new ArrayList<>();
        for (String d : dirs) {
            if (Files.isDirectory(Path.of(d))) {
                existing.add(d);
            }
        }
        return existing;
    }

    private static void readConf(Path conf, Set<String> dirs, int depth) {
        List<String> lines;
        try {
            lines = Files.readAllLines(conf);
        } catch (IOException | RuntimeException e) {
            return;
        }
        for (String raw : lines) {
            int hash = raw.indexOf('#');
            String line = (hash < 0 ? raw : raw.substring(0, hash)).trim();
            if (line.startsWith("include") && line.length() > 7 && Character.isWhitespace(line.charAt(7)) && depth < 4) {
                Path p = Path.of(line.substring(7).trim());
                Path parent = p.isAbsolute() ? p.getParent() : conf.resolveSibling(p).getParent();
                if (parent == null || p.getFileName() == null) {
                    continue;
                }
                String pattern = p.getFileName().toString();
                List<Path> files = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
                    for (Path f : ds) {
                        if (matches(pattern, f.getFileName().toString())) {
                            files.add(f);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    continue; // an include that cannot be read adds nothing
                }
                files.sort(null);
                for (Path f : files) {
                    readConf(f, dirs, depth + 1);
                }
            } else if (line.startsWith("/")) {
                dirs.add(line);
            }
        }
    }

    /** A shell wildcard of `*` and `?` (what ld.so.conf includes use), without compiling a regular expression. */
    static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
