package dev.warden.supervise;

import java.util.ArrayList;
import java.util.List;

/**
 * What the job has shown of its progress, shared between the log follower (writer) and the monitors (readers).
 * Times are System.nanoTime() readings.
 */
public final class Progress {
    private volatile long lastOutput;
    private volatile long lastStepChange;
    private volatile Long step;
    private volatile Long total;
    private volatile Double loss;
    private volatile boolean nonFinite;
    private volatile String nonFiniteLine;
    private volatile boolean anyStep;
    private final List<Long> stepIntervals = new ArrayList<>();

    public Progress(long now) {
        this.lastOutput = now;
        this.lastStepChange = now;
    }

    void output(long now) {
        lastOutput = now;
    }

    void step(long value, Long totalValue, long now) {
        Long prev = step;
        if (totalValue != null) {
            total = totalValue;
        }
        if (prev == null || prev != value) {
            if (prev != null) {
                synchronized (stepIntervals) {
                    stepIntervals.add(now - lastStepChange);
                }
            }
            step = value;
            lastStepChange = now;
            anyStep = true;
        }
    }

    void loss(double value, String line) {
        loss = value;
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            nonFinite = true;
            nonFiniteLine = line;
        }
    }

    public long lastActivity() {
        return Math.max(lastOutput, lastStepChange);
    }

    public long lastStepChange() {
        return lastStepChange;
    }

    public Long step() {
        return step;
    }

    public Long total() {
        return total;
    }

    public Double loss() {
        return loss;
    }

    public boolean nonFinite() {
        return nonFinite;
    }

    public String nonFiniteLine() {
        return nonFiniteLine;
    }

    public boolean anyStep() {
        return anyStep;
    }

    /** Intervals between step changes, in nanoseconds, oldest first. */
    public List<Long> stepIntervals() {
        synchronized (stepIntervals) {
            return List.copyOf(stepIntervals);
        }
    }
}
