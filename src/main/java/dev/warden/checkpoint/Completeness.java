package dev.warden.checkpoint;

/**
 * Whether a checkpoint is whole, and the evidence in words ("trainer_state.json present", "written 3s ago").
 *
 * @param quiet nothing in it changed for the marker grace period: no one is writing it right now
 */
public record Completeness(boolean complete, String why, boolean quiet) {
    static Completeness yes(String why) {
        return new Completeness(true, why, true);
    }

    static Completeness no(String why, boolean quiet) {
        return new Completeness(false, why, quiet);
    }
}
