package dev.warden.cli;

import dev.warden.check.Memo;
import dev.warden.diagnose.Diagnoser;
import dev.warden.spec.LoadedSpec;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;
import dev.warden.supervise.Console;
import dev.warden.supervise.DiagnoseClassifier;
import dev.warden.supervise.SpecAdvisor;
import dev.warden.supervise.Supervisor;

import java.io.OutputStream;
import java.util.Set;
import java.util.function.Supplier;

/** Builds a Supervisor for a loaded spec, with Warden's own SIGINT/SIGTERM routed to a graceful stop. */
final class RunLauncher {
    private RunLauncher() {}

    /** Loads the spec (its errors first) while {@link RunWarmUp} opens the store, then supervises the job. */
    static int supervise(Supplier<LoadedSpec> spec, boolean quiet, Set<String> skipChecks) {
        RunWarmUp warm = RunWarmUp.start();
        LoadedSpec loaded;
        try {
            loaded = spec.get();
        } catch (RuntimeException e) {
            warm.discard();
            throw e;
        }
        WardenHome home = warm.home();
        Console console = Console.stderr();
        // the catalog is needed only after a failure: a healthy run never holds it (2 MB of an idle supervisor);
        // it loads (~60 ms) on its own thread once an attempt has failed (DiagnoseClassifier.prepare)
        Supplier<Diagnoser> diagnoser = new Memo<>(
                () -> Diagnoser.load(home.rulesDir(), loaded.spec().rules(), w -> console.warn("rules: " + w)));
        try (Store store = warm.store()) {
            OutputStream echo = quiet ? null : System.out;
            Supervisor s = new Supervisor(loaded, home, store, console, echo,
                    new SpecAdvisor(loaded.spec(), new DiagnoseClassifier(diagnoser)), new CliRunHooks(loaded, home, skipChecks));
            installSignalHandlers(s);
            return s.run();
        }
    }

    @SuppressWarnings("restriction")
    private static void installSignalHandlers(Supervisor s) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> s.interrupt(2));
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> s.interrupt(15));
        } catch (IllegalArgumentException e) {
            // a JVM that reserves these signals: the shutdown still ends the job through the process group
        }
    }
}
