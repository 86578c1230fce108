package dev.warden.supervise;

import dev.warden.store.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * `warden stop|pause|resume RUN` from another shell: a request file in runs/<id>/control/, picked up by the
 * supervisor within 100 ms. Files survive a busy or restarting supervisor; signals would not.
 */
public final class ControlRequests {
    public enum Kind { STOP, PAUSE, RESUME }

    private final Path dir;

    public ControlRequests(Path runDir) {
        this.dir = runDir.resolve("control");
    }

    public void request(Kind kind, String who) {
        AtomicFiles.writeString(dir.resolve(kind.name().toLowerCase()), who + "\n");
    }

    /** The oldest pending request, removed as it is taken (stop wins over the others). */
    public Optional<Request> take() {
        for (Kind k : new Kind[] {Kind.STOP, Kind.PAUSE, Kind.RESUME}) {
            Path f = dir.resolve(k.name().toLowerCase());
            if (Files.exists(f)) {
                String who;
                try {
                    who = Files.readString(f).trim();
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    who = "unknown";
                }
                return Optional.of(new Request(k, who));
            }
        }
        return Optional.empty();
    }

    public record Request(Kind kind, String from) {}
}
