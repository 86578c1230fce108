package dev.warden.diagnose;

import dev.warden.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Finds the log of a run's newest attempt: WARDEN_HOME/runs/RUN/attempts/N.log, RUN being an id or a unique prefix. */
public final class RunLogs {
    private RunLogs() {}

    public static Path newestAttemptLog(Path runsDir, String run) {
        if (run == null || run.isBlank() || run.contains("/") || run.contains("..")) {
            throw new UserError("--run '" + run + "' is not a run id; use an id from `warden ps` (or a unique prefix of one)");
        }
        List<Path> matches;
        try (Stream<Path> s = Files.isDirectory(runsDir) ? Files.list(runsDir) : Stream.empty()) {
            matches = s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith(run)).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot list runs in " + runsDir + " (" + e.getMessage() + "); check WARDEN_HOME");
        }
        Path dir = matches.stream().filter(p -> p.getFileName().toString().equals(run)).findFirst().orElse(null);
        if (dir == null) {
            if (matches.isEmpty()) {
                throw new UserError("no run '" + run + "' in " + runsDir + "; list runs with `warden ps --all` or set WARDEN_HOME");
            }
            if (matches.size() > 1) {
                throw new UserError("--run '" + run + "' matches " + matches.size() + " runs ("
                        + String.join(", ", matches.stream().limit(5).map(p -> p.getFileName().toString()).toList())
                        + "); give more of the id");
            }
            dir = matches.get(0);
        }
        Path runDir = dir;
        Path attempts = dir.resolve("attempts");
        try (Stream<Path> s = Files.isDirectory(attempts) ? Files.list(attempts) : Stream.empty()) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p))
                    .max(Comparator.comparingLong(RunLogs::attemptNumber).thenComparing(RunLogs::modified))
                    .orElseThrow(() -> new UserError("run " + runDir.getFileName() + " has no attempt logs in " + attempts
                            + "; it may not have started yet"));
        } catch (IOException e) {
            throw new UserError("cannot list " + attempts + " (" + e.getMessage() + ")");
        }
    }

    private static long attemptNumber(Path p) {
        String n = p.getFileName().toString();
        n = n.substring(0, n.length() - ".log".length());
        try {
            return Long.parseLong(n);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
