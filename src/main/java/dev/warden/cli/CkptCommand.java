package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.checkpoint.Algorithm;
import dev.warden.checkpoint.Backup;
import dev.warden.checkpoint.Checkpoint;
import dev.warden.checkpoint.CheckpointSettings;
import dev.warden.checkpoint.Checkpoints;
import dev.warden.checkpoint.ConsoleProgress;
import dev.warden.checkpoint.Fingerprints;
import dev.warden.checkpoint.Problem;
import dev.warden.checkpoint.Pruner;
import dev.warden.checkpoint.Quarantined;
import dev.warden.checkpoint.SealPaths;
import dev.warden.checkpoint.SealRecord;
import dev.warden.checkpoint.Sealer;
import dev.warden.checkpoint.UnsealedPolicy;
import dev.warden.checkpoint.Verifier;
import dev.warden.checkpoint.VerifyReport;
import dev.warden.spec.CheckpointSpec;
import dev.warden.spec.Sizes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "ckpt", mixinStandardHelpOptions = true,
        description = "Checkpoint seals: seal, verify, list, latest, backup, prune.",
        subcommands = {CkptCommand.Seal.class, CkptCommand.Verify.class, CkptCommand.ListCmd.class,
                CkptCommand.Latest.class, CkptCommand.BackupCmd.class, CkptCommand.Prune.class})
public final class CkptCommand implements Runnable {
    /** verify, latest: the checkpoint is not whole / there is none. */
    static final int NOT_VALID = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Path existing(Path p, String what) {
        if (!Files.exists(p)) {
            throw new UserError(what + " " + p + " does not exist; check the path");
        }
        return p;
    }

    /** Layout options shared (as a picocli mixin) by the commands that look at a root of many checkpoints. */
    static final class LayoutOptions {
        @Option(names = "--layout", paramLabel = "L",
                description = "huggingface, lightning, deepspeed, orbax, nemo, torch_dcp or generic (default: detected)")
        String layout;

        @Option(names = "--pattern", paramLabel = "GLOB", description = "names of checkpoints for the generic layout, e.g. 'step_*'")
        String pattern;

        @Option(names = "--settle", paramLabel = "DURATION",
                description = "without a completion marker, complete once unchanged this long (default 2m)")
        String settle;

        CheckpointSettings settings(Path root) {
            return CheckpointSettings.from(CheckpointSpec.of(null, layout).withPattern(pattern).withSettle(settle), root);
        }
    }

    @Command(name = "seal", mixinStandardHelpOptions = true,
            description = "Hash every file of a checkpoint and write warden.sha256 (checkable with sha256sum -c) and warden.seal.json.")
    static final class Seal implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "checkpoint directory (or a single checkpoint file)")
        Path dir;

        @Option(names = "--fast", description = "XXH3-128 instead of SHA-256: much faster, catches corruption but not tampering")
        boolean fast;

        @Option(names = "--stats", description = "print bytes hashed, time and throughput")
        boolean stats;

        @Override
        public Integer call() {
            return seal(spec.commandLine().getOut(), dir, fast, stats);
        }
    }

    /** `ckpt seal`, also run by {@link CkptFastPath} without picocli. */
    static int seal(PrintWriter out, Path dir, boolean fast, boolean stats) {
        existing(dir, "checkpoint");
        long t0 = System.nanoTime();
        Algorithm alg = fast ? Algorithm.XXH128 : Algorithm.SHA256;
        SealRecord r = Sealer.seal(dir, alg, Fingerprints.NONE, Sealer.Options.defaults().withProgress(ConsoleProgress.forTerminal()));
        SealPaths where = SealPaths.of(dir);
        out.println("sealed " + dir + ": " + r.files().size() + " files, " + Sizes.format(r.totalBytes()) + " (" + r.algorithm() + ")");
        out.println("check without Warden: cd " + where.directory() + " && "
                + (alg == Algorithm.SHA256 ? "sha256sum -c " : "xxhsum -c ") + where.manifest(alg).getFileName());
        if (stats) {
            printStats(out, r.totalBytes(), System.nanoTime() - t0);
        }
        return 0;
    }

    static void printStats(PrintWriter out, long bytes, long nanos) {
        double s = nanos / 1e9;
        out.printf(Locale.ROOT, "stats: %d bytes in %.3f s (%.3f GB/s)%n", bytes, s, bytes / s / 1e9);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check a checkpoint against its seal: sizes, then digests. Exit 0 when whole, 1 when not.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "checkpoint directory (or a single checkpoint file)")
        Path dir;

        @Option(names = "--stats", description = "print bytes hashed, time and throughput")
        boolean stats;

        @Override
        public Integer call() {
            return verify(spec.commandLine().getOut(), dir, stats);
        }
    }

    /** `ckpt verify`, also run by {@link CkptFastPath} without picocli. */
    static int verify(PrintWriter out, Path dir, boolean stats) {
        existing(dir, "checkpoint");
        long t0 = System.nanoTime();
        VerifyReport r = Verifier.verify(dir, Verifier.Options.defaults().withProgress(ConsoleProgress.forTerminal()));
        out.println(dir + ": " + r.summary());
        if (!r.ok() && r.problems().size() > 0) {
            for (Problem p : r.problems()) {
                out.println("  " + p.describe());
            }
        }
        if (stats) {
            printStats(out, r.bytesHashed(), System.nanoTime() - t0);
            out.println("stats: hashed with " + (r.engine().isEmpty() ? "nothing" : r.engine()));
        }
        return r.ok() ? 0 : NOT_VALID;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the checkpoints under ROOT, oldest first: step, complete or not (and why), sealed or not.")
    static final class ListCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ROOT", description = "directory the trainer writes checkpoints into")
        Path root;

        @CommandLine.Mixin
        LayoutOptions layout;

        @Override
        public Integer call() {
            existing(root, "checkpoint directory");
            CheckpointSettings settings = layout.settings(root);
            List<Checkpoint> all = Checkpoints.scan(root, settings, Clock.systemUTC());
            PrintWriter out = spec.commandLine().getOut();
            if (all.isEmpty()) {
                out.println("no " + settings.layout().id() + " checkpoints in " + root);
                return 0;
            }
            out.printf(Locale.ROOT, "%-10s %-10s %-8s %s%n", "STEP", "STATE", "SEALED", "NAME (layout " + settings.layout().id() + ")");
            for (Checkpoint c : all) {
                out.printf(Locale.ROOT, "%-10d %-10s %-8s %s  (%s)%n", c.step(), c.complete() ? "complete" : "partial",
                        c.sealed() ? "yes" : "no", c.displayName(), c.why());
            }
            return 0;
        }
    }

    @Command(name = "latest", mixinStandardHelpOptions = true,
            description = {"Print the newest checkpoint under ROOT whose seal verifies; exit 1 when there is none.",
                    "A sealed checkpoint that fails verification is renamed NAME.corrupt-TIME (never deleted)."})
    static final class Latest implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ROOT", description = "directory the trainer writes checkpoints into")
        Path root;

        @CommandLine.Mixin
        LayoutOptions layout;

        @Option(names = "--unsealed", paramLabel = "POLICY", defaultValue = "skip",
                description = "complete checkpoints without a seal: skip (default), seal (seal now, then use) or trust")
        String unsealed;

        @Option(names = "--no-quarantine", description = "report a corrupt checkpoint but do not rename it")
        boolean noQuarantine;

        @Override
        public Integer call() {
            existing(root, "checkpoint directory");
            UnsealedPolicy policy;
            try {
                policy = UnsealedPolicy.valueOf(unsealed.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError("--unsealed `" + unsealed + "` is not known; use skip, seal or trust");
            }
            PrintWriter err = spec.commandLine().getErr();
            Optional<Checkpoint> c = Checkpoints.latestValid(root, layout.settings(root), policy, !noQuarantine,
                    Clock.systemUTC(), (Quarantined q) -> err.println("warden: " + q.describe()));
            if (c.isEmpty()) {
                err.println("warden: no checkpoint in " + root + " verifies against its seal"
                        + (policy == UnsealedPolicy.SKIP ? " (unsealed ones are skipped; --unsealed seal to seal them)" : ""));
                return NOT_VALID;
            }
            spec.commandLine().getOut().println(c.get().path());
            return 0;
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Copy a sealed checkpoint to DEST and verify the copy; the source is only read.")
    static final class BackupCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "sealed checkpoint")
        Path dir;

        @Parameters(index = "1", paramLabel = "DEST", description = "existing directory to copy into, or the copy's path")
        Path dest;

        @Override
        public Integer call() {
            existing(dir, "checkpoint");
            Backup.Result r = Backup.copy(dir, dest, ConsoleProgress.forTerminal());
            spec.commandLine().getOut().println("copied and verified: " + r.copy() + " (" + r.report().summary() + ")");
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = {"Remove old sealed checkpoints: keeps the newest valid one, the last N sealed, and every K-th step.",
                    "Unsealed, partial and corrupt checkpoints are never removed. Lists first; removes only with --yes."})
    static final class Prune implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ROOT", description = "directory the trainer writes checkpoints into")
        Path root;

        @Option(names = "--keep-last", paramLabel = "N", required = true, description = "keep the newest N sealed checkpoints")
        int keepLast;

        @Option(names = "--keep-every", paramLabel = "K", defaultValue = "0",
                description = "also keep checkpoints whose step is a multiple of K (0 = off)")
        long keepEvery;

        @Option(names = "--yes", description = "remove them (without it, only list)")
        boolean yes;

        @CommandLine.Mixin
        LayoutOptions layout;

        @Override
        public Integer call() {
            existing(root, "checkpoint directory");
            Pruner.Plan plan = Pruner.plan(root, layout.settings(root), keepLast, keepEvery);
            PrintWriter out = spec.commandLine().getOut();
            for (Quarantined q : plan.corrupt()) {
                out.println("corrupt (kept, not removed): " + q.checkpoint().name() + ": " + q.report().summary());
            }
            if (plan.newestValid() == null) {
                out.println("no checkpoint in " + root + " verifies; nothing removed");
                return 0;
            }
            out.println("newest valid (kept): " + plan.newestValid().name());
            if (plan.remove().isEmpty()) {
                out.println("nothing to remove");
                return 0;
            }
            if (!yes) {
                out.println("would remove " + plan.remove().size() + ":");
                plan.remove().forEach(c -> out.println("  " + c.path()));
                out.println("run again with --yes to remove them");
                return 0;
            }
            List<Path> removed = Pruner.remove(plan);
            out.println("removed " + removed.size() + ":");
            removed.forEach(p -> out.println("  " + p));
            return 0;
        }
    }
}
