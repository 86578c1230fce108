package dev.warden.checkpoint;

import dev.warden.UserError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Chooses old checkpoints to remove: only sealed ones, older than the newest checkpoint that verifies, and
 * not among the last N sealed nor on a multiple of K steps. Unsealed, incomplete and corrupt checkpoints
 * are never removed. {@link #plan} only lists; {@link #remove} deletes what a plan lists.
 */
public final class Pruner {
    private Pruner() {}

    /** @param newestValid null when no checkpoint verifies (then nothing is removed) */
    public record Plan(List<Checkpoint> remove, List<Checkpoint> keep, Checkpoint newestValid, List<Quarantined> corrupt) {}

    public static Plan plan(Path root, CheckpointSettings settings, int keepLast, long keepEvery) {
        if (keepLast < 0) {
            throw new UserError("--keep-last " + keepLast + " must be 0 or more");
        }
        if (keepEvery < 0) {
            throw new UserError("--keep-every " + keepEvery + " must be 0 (off) or a step interval such as 1000");
        }
        List<Quarantined> corrupt = new ArrayList<>();
        Optional<Checkpoint> newest = Checkpoints.latestValid(root, settings, UnsealedPolicy.SKIP, false, Clock.systemUTC(), corrupt::add);
        List<Checkpoint> all = Checkpoints.scan(root, settings, Clock.systemUTC());
        if (newest.isEmpty()) {
            return new Plan(List.of(), all, null, corrupt);
        }
        Checkpoint valid = newest.get();
        List<Checkpoint> sealed = all.stream().filter(c -> c.sealed() && c.complete()).toList();
        List<Checkpoint> lastN = sealed.subList(Math.max(0, sealed.size() - keepLast), sealed.size());
        List<Checkpoint> remove = new ArrayList<>();
        List<Checkpoint> keep = new ArrayList<>();
        for (Checkpoint c : all) {
            boolean removable = c.sealed() && c.complete() && c.step() < valid.step()
                    && !lastN.contains(c)
                    && !(keepEvery > 0 && c.step() % keepEvery == 0)
                    && corrupt.stream().noneMatch(q -> q.checkpoint().path().equals(c.path()));
            (removable ? remove : keep).add(c);
        }
        return new Plan(List.copyOf(remove), List.copyOf(keep), valid, List.copyOf(corrupt));
    }

    /** Deletes each planned checkpoint (and, for a file checkpoint, its seal files). Returns what was removed. */
    public static List<Path> remove(Plan plan) {
        List<Path> removed = new ArrayList<>();
        for (Checkpoint c : plan.remove()) {
            if (!SealPaths.of(c.path()).sealed()) {
                continue; // changed since the plan: leave it
            }
            try {
                SealPaths seal = SealPaths.of(c.path());
                // the seal record goes first: a half-removed checkpoint must never look sealed
                Files.deleteIfExists(seal.record());
                deleteTree(c.path());
                for (Algorithm a : Algorithm.values()) {
                    Files.deleteIfExists(seal.manifest(a)); // a file checkpoint's manifest lives beside it
                }
                removed.add(c.path());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + c.path() + " (removed " + removed.size() + " before it): "
                        + e.getMessage(), e);
            }
        }
        return removed;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
