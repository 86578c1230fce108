package dev.warden.checkpoint;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For a process that exists to run one seal or verify (`warden ckpt seal|verify`): loads JNA and the hash library
 * on a second thread while the first lists the checkpoint or reads its seal, instead of after. The digester the
 * seal asks for later is then ready (or is finished by whichever thread gets there first: class initialisation
 * runs once). WARDEN_NATIVE_HASH=off loads nothing, as before.
 */
public final class NativeWarmUp {
    private static boolean started;

    private NativeWarmUp() {}

    /** @param algorithm the library to load, or null for JNA alone (the algorithm is not known yet) */
    public static synchronized void start(Algorithm algorithm) {
        if (started || !FileDigester.nativeAllowed()) {
            return;
        }
        started = true;
        skipLdconfig();
        Thread t = new Thread(() -> load(algorithm), "warden-native-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void load(Algorithm algorithm) {
        try {
            if (algorithm == Algorithm.SHA256) {
                NativeDigesters.sha256();
            } else if (algorithm == Algorithm.XXH128) {
                NativeDigesters.xxh128();
            } else {
                NativeDigesters.loadJna();
            }
        } catch (Throwable e) {
            // the thread that needs the digester meets the same problem and falls back to Java
        }
    }

    /** The algorithm of the seal a checkpoint seems to have, from which manifest lies beside its record; null if unclear. */
    public static Algorithm guessSealed(Path checkpoint) {
        try {
            SealPaths where = SealPaths.of(checkpoint);
            List<Algorithm> present = new ArrayList<>();
            for (Algorithm a : Algorithm.values()) {
                if (Files.exists(where.manifest(a), LinkOption.NOFOLLOW_LINKS)) {
                    present.add(a);
                }
            }
            return present.size() == 1 ? present.get(0) : null;
        } catch (RuntimeException e) {
            return null; // a path verify will report on properly
        }
    }

    /**
     * JNA's first library load runs `/sbin/ldconfig -p` (a child process, ~15 ms) to learn the library directories,
     * unless jna.platform.library.path names them. The digesters load libraries by soname, which the dynamic
     * loader resolves without that list; the standard directories stay as a fallback. Only for a process that
     * loads nothing else through JNA: elsewhere (OSHI in the supervisor) JNA's own search stays untouched.
     */
    private static void skipLdconfig() {
        if (System.getProperty("jna.platform.library.path") != null || !System.getProperty("os.name", "").equals("Linux")) {
            return;
        }
        String multiarch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            default -> null;
        };
        List<String> dirs = new ArrayList<>();
        if (multiarch != null) {
            dirs.add("/usr/lib/" + multiarch);
            dirs.add("/lib/" + multiarch);
        }
        dirs.addAll(List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib"));
        System.setProperty("jna.platform.library.path", String.join(java.io.File.pathSeparator, dirs));
    }
}
