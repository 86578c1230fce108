package dev.warden.check;

import java.util.function.Supplier;

/** Computes a value once, on first use, for all that share it (e.g. one nvidia-smi call for several checks). */
public final class Memo<T> implements Supplier<T> {
    private final Supplier<T> source;
    private T value;
    private boolean done;

    public Memo(Supplier<T> source) {
        this.source = source;
    }

    @Override
    public synchronized T get() {
        if (!done) {
            value = source.get();
            done = true;
        }
        return value;
    }
}
