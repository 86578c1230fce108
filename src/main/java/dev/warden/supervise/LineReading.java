package dev.warden.supervise;

/** What the built-in patterns read from one line; a field is null when the line does not give it. */
record LineReading(Long step, Long total, Double loss, String line) {
    void applyTo(Progress progress, long now) {
        if (step != null) {
            progress.step(step, total, now);
        }
        if (loss != null) {
            progress.loss(loss, line);
        }
    }
}
