package dev.warden.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link StderrLogger} per name; WARN and above, except for loggers known to be noisy at WARN. */
final class StderrLoggerFactory implements ILoggerFactory {
    /** DJL warns about its native-library extraction and CUDA probing, in the middle of a report or --json output. */
    private static final Map<String, Level> QUIETER = Map.of("ai.djl", Level.ERROR);

    private final PrintStream out;
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

    StderrLoggerFactory(PrintStream out) {
        this.out = out;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new StderrLogger(n, threshold(n), out));
    }

    static Level threshold(String name) {
        for (Map.Entry<String, Level> e : QUIETER.entrySet()) {
            if (name.equals(e.getKey()) || name.startsWith(e.getKey() + ".")) {
                return e.getValue();
            }
        }
        return Level.WARN;
    }
}
