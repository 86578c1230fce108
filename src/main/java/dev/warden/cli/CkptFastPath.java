package dev.warden.cli;

import dev.warden.checkpoint.Algorithm;
import dev.warden.checkpoint.NativeWarmUp;
import dev.warden.checkpoint.SealWarmUp;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * `warden ckpt seal` and `warden ckpt verify` in their plain form (one DIR and the verb's own flags), run without
 * building picocli's command tree: that tree costs a fresh JVM 90-150 ms, against 0.34 s for xxhsum to hash a
 * 4 GiB checkpoint. Anything else (help, other or repeated options, `--`, @argument files, two paths) is left
 * to picocli, so usage errors and help read exactly as before. Output, exit codes and error lines are the
 * picocli commands' own: both call {@link CkptCommand#seal} / {@link CkptCommand#verify} and {@link Main#failed}.
 */
final class CkptFastPath {
    private CkptFastPath() {}

    /** The exit code, or null when picocli should parse this command line. */
    static Integer run(PrintWriter out, PrintWriter err, String... args) {
        Parsed p = parse(args);
        if (p == null) {
            return null;
        }
        // the hash library loads on another core while this thread lists the checkpoint (or reads its seal)
        Algorithm alg = p.fast ? Algorithm.XXH128 : Algorithm.SHA256;
        NativeWarmUp.start(p.seal ? alg : NativeWarmUp.guessSealed(p.dir));
        if (p.seal) {
            SealWarmUp.run(alg);
        }
        return Main.guarded(out, err, () -> p.seal ? CkptCommand.seal(out, p.dir, p.fast, p.stats) : CkptCommand.verify(out, p.dir, p.stats));
    }

    record Parsed(boolean seal, Path dir, boolean fast, boolean stats) {}

    static Parsed parse(String... args) {
        if (args.length < 3 || !args[0].equals("ckpt") || !(args[1].equals("seal") || args[1].equals("verify"))) {
            return null;
        }
        boolean seal = args[1].equals("seal");
        Set<String> flags = new HashSet<>();
        String dir = null;
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            boolean known = a.equals("--stats") || (seal && a.equals("--fast"));
            if (known) {
                if (!flags.add(a)) {
                    return null; // picocli says it may be given once
                }
            } else if (dir != null || a.isEmpty() || a.startsWith("-") || a.startsWith("@")) {
                return null;
            } else {
                dir = a;
            }
        }
        if (dir == null) {
            return null;
        }
        try {
            return new Parsed(seal, Path.of(dir), flags.contains("--fast"), flags.contains("--stats"));
        } catch (InvalidPathException e) {
            return null; // picocli's message for a path it cannot convert
        }
    }
}
