package dev.warden.checkpoint;

import java.nio.file.Path;

/**
 * One checkpoint found under a root.
 *
 * @param step     training step from the name (-1 when the name has none)
 * @param complete whole by its framework's marker or by having settled; never resume from one that is not
 * @param why      the evidence for complete, or what is missing ("no trainer_state.json yet")
 * @param sealed   a seal record exists (not yet verified)
 * @param quiet    nothing in it changed for the last few seconds: nobody is writing it now
 */
public record Checkpoint(long step, Path path, boolean complete, String layout, String why, boolean sealed, boolean quiet) {
    Checkpoint asSealed() {
        return new Checkpoint(step, path, complete, layout, why, true, quiet);
    }

    public String name() {
        return path.getFileName().toString();
    }

    /** The name on one line: newlines and control characters escaped. */
    public String displayName() {
        return Names.printable(name());
    }
}
