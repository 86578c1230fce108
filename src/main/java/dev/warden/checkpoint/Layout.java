package dev.warden.checkpoint;

import dev.warden.UserError;
import dev.warden.spec.Durations;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How one framework names its checkpoints and says that one is whole. A completion marker wins; without
 * one, a checkpoint is whole once nothing in it changed for the settle time. Either way no file may be
 * provably cut short ({@link TruncationProbe}), and even with a marker the tree must have been quiet for a
 * short grace (Hugging Face writes rng_state.pth just after trainer_state.json).
 *
 * @param glob        names that are checkpoints (generic and torch_dcp), null for the built-in layouts
 * @param stepPattern one group that captures the step
 */
public record Layout(Kind kind, String glob, Pattern stepPattern) {

    public enum Kind {
        HUGGINGFACE, LIGHTNING, DEEPSPEED, ORBAX, NEMO, TORCH_DCP, GENERIC;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What completeness is judged against.
     *
     * @param anyCommitMarker  some Orbax step in this root has commit_success.txt
     * @param honourUnfinished false for the watcher that writes the warden.unfinished markers itself
     */
    record Context(Clock clock, Duration settle, Duration grace, boolean anyCommitMarker, boolean honourUnfinished) {}

    private static final Pattern HF = Pattern.compile("checkpoint-(\\d+)");
    private static final Pattern LIGHTNING = Pattern.compile(".*step=(\\d+).*\\.ckpt");
    private static final Pattern DEEPSPEED = Pattern.compile("global_step(\\d+)");
    private static final Pattern ORBAX = Pattern.compile("(?:.*_)?(\\d+)(\\.orbax-checkpoint-tmp.*)?");
    private static final Pattern NEMO = Pattern.compile(".*step=(\\d+).*");
    private static final Pattern LAST_NUMBER = Pattern.compile(".*?(\\d+)(?!.*\\d).*");
    static final String NEMO_UNFINISHED = "-unfinished";
    static final String ORBAX_COMMIT = "commit_success.txt";
    static final String ORBAX_TMP = ".orbax-checkpoint-tmp";

    public String id() {
        return kind.id();
    }

    public static Layout of(Kind kind) {
        return switch (kind) {
            case HUGGINGFACE -> new Layout(kind, null, HF);
            case LIGHTNING -> new Layout(kind, null, LIGHTNING);
            case DEEPSPEED -> new Layout(kind, null, DEEPSPEED);
            case ORBAX -> new Layout(kind, null, ORBAX);
            case NEMO -> new Layout(kind, null, NEMO);
            case TORCH_DCP, GENERIC -> new Layout(kind, "*", LAST_NUMBER);
        };
    }

    /** A layout from spec values; null name = detect from what is in root. */
    public static Layout from(String name, String glob, String stepRegex, Path root) {
        Layout base;
        if (name == null || name.isBlank()) {
            base = glob != null ? of(Kind.GENERIC) : detect(root);
        } else {
            String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            base = switch (n) {
                case "huggingface", "hf", "transformers" -> of(Kind.HUGGINGFACE);
                case "lightning", "pytorch_lightning" -> of(Kind.LIGHTNING);
                case "deepspeed" -> of(Kind.DEEPSPEED);
                case "orbax", "jax" -> of(Kind.ORBAX);
                case "nemo" -> of(Kind.NEMO);
                case "torch_dcp", "dcp", "torch_distributed" -> of(Kind.TORCH_DCP);
                case "generic" -> of(Kind.GENERIC);
                default -> throw new UserError("checkpoint layout `" + name + "` is not known; use huggingface, lightning, "
                        + "deepspeed, orbax, nemo, torch_dcp or generic (with pattern:)", UserError.CONFIG);
            };
        }
        String g = glob != null && !glob.isBlank() ? glob : base.glob;
        Pattern step = base.stepPattern;
        if (stepRegex != null && !stepRegex.isBlank()) {
            try {
                step = Pattern.compile(".*?" + stepRegex + ".*");
            } catch (PatternSyntaxException e) {
                throw new UserError("checkpoints.step_regex `" + stepRegex + "` is not a valid regex (" + e.getDescription()
                        + "); write one group around the digits, e.g. step_(\\d+)", UserError.CONFIG);
            }
        }
        if (g != null) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + g);
            } catch (IllegalArgumentException e) {
                throw new UserError("checkpoints.pattern `" + glob + "` is not a valid glob; write it like step_* or *.pt",
                        UserError.CONFIG);
            }
        }
        return new Layout(base.kind, g, step);
    }

    /** Guesses the layout from the names in root; generic "*" when nothing is recognised. */
    public static Layout detect(Path root) {
        boolean hf = false, ds = false, orbax = false, nemo = false, lightning = false, dcp = false;
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> ds0 = Files.newDirectoryStream(root)) {
                for (Path p : ds0) {
                    String n = p.getFileName().toString();
                    boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                    hf |= dir && HF.matcher(n).matches();
                    ds |= dir && DEEPSPEED.matcher(n).matches();
                    orbax |= dir && (n.contains(ORBAX_TMP) || Files.exists(p.resolve(ORBAX_COMMIT)) || n.matches("\\d+"));
                    nemo |= n.endsWith(NEMO_UNFINISHED) || (n.contains("--") && n.contains("step="));
                    lightning |= n.endsWith(".ckpt");
                    dcp |= dir && Files.exists(p.resolve(".metadata"));
                }
            } catch (IOException e) {
                // unreadable root: fall through to generic; scanning reports the error
            }
        }
        if (hf) return of(Kind.HUGGINGFACE);
        if (ds) return of(Kind.DEEPSPEED);
        if (nemo) return of(Kind.NEMO);
        if (lightning) return of(Kind.LIGHTNING);
        if (dcp) return of(Kind.TORCH_DCP);
        if (orbax) return of(Kind.ORBAX);
        return of(Kind.GENERIC);
    }

    /** The step when this entry of root is one of this layout's checkpoints; empty when it is not one. */
    OptionalLong candidate(Path entry) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") || name.equals("archive") || name.contains(Checkpoints.QUARANTINE_MARK)
                || SealPaths.isOwnFile(name) || Files.isSymbolicLink(entry)) {
            return OptionalLong.empty(); // links are never trusted: Lightning's last.ckpt, "latest"
        }
        boolean dir = Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
        boolean accepted = switch (kind) {
            case HUGGINGFACE, DEEPSPEED, ORBAX, TORCH_DCP -> dir;
            case LIGHTNING -> true;
            case NEMO -> !name.endsWith(NEMO_UNFINISHED) && !name.endsWith(".nemo") && !stripCkpt(name).endsWith("-last")
                    && !stripCkpt(name).endsWith("-EMA");
            case GENERIC -> true;
        };
        if (!accepted) {
            return OptionalLong.empty();
        }
        if (glob != null) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (!m.matches(entry.getFileName())) {
                return OptionalLong.empty();
            }
        }
        Matcher m = stepPattern.matcher(name);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long step = Steps.parse(m.group(1));
        return step < 0 ? OptionalLong.empty() : OptionalLong.of(step);
    }

    Completeness completeness(Path checkpoint, Context ctx) {
        CheckpointFiles.Listing listing;
        try {
            listing = CheckpointFiles.list(checkpoint);
        } catch (IOException e) {
            return Completeness.no("unreadable: " + e.getClass().getSimpleName(), false);
        }
        long age = ctx.clock().millis() - listing.newestMtimeMillis();
        boolean quiet = age >= ctx.grace().toMillis();
        String name = checkpoint.getFileName().toString();
        if (ctx.honourUnfinished() && abandoned(checkpoint, listing)) {
            return Completeness.no("the run stopped while this was being written (" + SealPaths.UNFINISHED_NAME + ")", quiet);
        }
        String marker = switch (kind) {
            case HUGGINGFACE -> Files.isRegularFile(checkpoint.resolve("trainer_state.json")) ? "trainer_state.json present" : null;
            case ORBAX -> orbaxMarker(checkpoint, name, ctx);
            case NEMO -> Files.exists(checkpoint.resolveSibling(stripCkpt(name).replaceAll("-EMA$", "") + NEMO_UNFINISHED))
                    ? null : "no -unfinished marker";
            case TORCH_DCP -> Files.isRegularFile(checkpoint.resolve(".metadata")) ? ".metadata present" : null;
            case LIGHTNING -> Files.isRegularFile(checkpoint, LinkOption.NOFOLLOW_LINKS) && TruncationProbe.wholeZip(checkpoint)
                    ? "zip end record present" : "";
            default -> "";
        };
        if (marker == null) {
            return Completeness.no(switch (kind) {
                case HUGGINGFACE -> "no trainer_state.json yet";
                case ORBAX -> name.contains(ORBAX_TMP) ? "Orbax temp directory (not renamed yet)" : "no " + ORBAX_COMMIT + " (other steps have one)";
                case NEMO -> "-unfinished marker present (still saving, or the save was cut)";
                case TORCH_DCP -> "no .metadata yet (written last)";
                default -> "incomplete";
            }, quiet);
        }
        if (listing.files().isEmpty()) {
            return Completeness.no("empty", quiet);
        }
        for (CheckpointFiles.Entry e : listing.files()) {
            if (probed(e.name())) {
                String t = TruncationProbe.truncated(e.path(), e.size());
                if (t != null) {
                    return Completeness.no(Names.printable(e.name()) + ": " + t, quiet);
                }
            }
        }
        boolean hasMarker = !marker.isEmpty();
        Duration quietFor = hasMarker ? ctx.grace() : ctx.settle();
        if (age < quietFor.toMillis()) {
            if (sealedAfter(checkpoint, listing.newestMtimeMillis())) {
                return Completeness.yes((hasMarker ? marker + ", " : "") + "sealed, unchanged since");
            }
            return Completeness.no("written " + Durations.format(Duration.ofMillis(Math.max(0, age)))
                    + " ago; waiting until unchanged for " + Durations.format(quietFor), quiet);
        }
        return Completeness.yes(hasMarker ? marker : "unchanged for " + Durations.format(Duration.ofMillis(age)));
    }

    /**
     * A seal is written once a checkpoint was judged whole (by a supervisor that saw its writer exit, or after the
     * quiet time): when no file changed after it, waiting out the quiet time again says nothing new.
     */
    private static boolean sealedAfter(Path checkpoint, long newestMtimeMillis) {
        try {
            return Files.getLastModifiedTime(SealPaths.of(checkpoint).record(), LinkOption.NOFOLLOW_LINKS).toMillis()
                    >= newestMtimeMillis;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True for layouts whose frameworks leave no completion evidence at all: the watcher marks them while they
     * are written. (Lightning's files carry their own: a zip's end record.)
     */
    boolean watcherMarks() {
        return kind == Kind.DEEPSPEED || kind == Kind.GENERIC;
    }

    /**
     * The watcher's marker is there and no file is newer than it (with slack for its one-second polling):
     * the run stopped mid-save. Data written after the marker means someone saved it again later.
     */
    private static boolean abandoned(Path checkpoint, CheckpointFiles.Listing listing) {
        Path marker = SealPaths.of(checkpoint).unfinished();
        try {
            long markedAt = Files.getLastModifiedTime(marker, LinkOption.NOFOLLOW_LINKS).toMillis();
            return listing.newestMtimeMillis() <= markedAt + UNFINISHED_SLACK_MILLIS;
        } catch (IOException e) {
            return false;
        }
    }

    private static final long UNFINISHED_SLACK_MILLIS = 3_000;

    private String orbaxMarker(Path checkpoint, String name, Context ctx) {
        if (name.contains(ORBAX_TMP)) {
            return null;
        }
        if (Files.isRegularFile(checkpoint.resolve(ORBAX_COMMIT))) {
            return ORBAX_COMMIT + " present";
        }
        return ctx.anyCommitMarker() ? null : "renamed from its temp name";
    }

    private static boolean probed(String name) {
        return name.endsWith(".safetensors") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin")
                || name.endsWith(".ckpt");
    }

    private static String stripCkpt(String name) {
        return name.endsWith(".ckpt") ? name.substring(0, name.length() - 5) : name;
    }
}
