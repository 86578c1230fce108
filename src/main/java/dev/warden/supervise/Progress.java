package dev.warden.supervise;

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
    /** Intervals between step changes; kept as primitives, capped (the learned timeout is settled long before). */
    private static final int MAX_INTERVALS = 1 << 20;
    private long[] intervals = new long[64];
    private volatile int intervalCount;

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
            if (prev != null && intervalCount < MAX_INTERVALS) {
                synchronized (this) {
                    if (intervalCount == intervals.length) {
                        intervals = java.util.Arrays.copyOf(intervals, intervals.length * 2);
                    }
                    intervals[intervalCount] = now - lastStepChange;
                    intervalCount++;
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

    /** Intervals between step changes, in nanoseconds, oldest first: a read-only view, no copy. */
    public List<Long> stepIntervals() {
        int n = intervalCount;
        return new java.util.AbstractList<>() {
            @Override
            public Long get(int i) {
                if (i < 0 || i >= n) {
                    throw new IndexOutOfBoundsException(i);
                }
                synchronized (Progress.this) {
                    return intervals[i];
                }
            }

            @Override
            public int size() {
                return n;
            }
        };
    }
}
