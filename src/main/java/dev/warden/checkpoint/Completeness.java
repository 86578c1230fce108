package dev.warden.checkpoint;

/** Whether a checkpoint is whole, and the evidence in words ("trainer_state.json present", "written 3s ago"). */
public record Completeness(boolean complete, String why) {
    static Completeness yes(String why) {
        return new Completeness(true, why);
    }

    static Completeness no(String why) {
        return new Completeness(false, why);
    }
}
