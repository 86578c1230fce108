package dev.warden.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Where the libraries' SLF4J logging goes (sqlite-jdbc, OSHI, DJL): warnings and errors, one line each on stderr,
 * so stdout stays the command's own output (tables, JSON). Four small classes instead of a logging framework: the
 * supervisor idles for days, and Logback cost it 224 classes (about 1.3 MB of RSS) and every command ~25 ms of start.
 */
public final class StderrLoggingProvider implements SLF4JServiceProvider {
    private final StderrLoggerFactory factory = new StderrLoggerFactory(System.err);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up
    }
}
