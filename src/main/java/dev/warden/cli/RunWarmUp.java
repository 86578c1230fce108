package dev.warden.cli;

import dev.warden.store.Store;
import dev.warden.store.WardenHome;
import dev.warden.supervise.Libc;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What `warden run` needs whatever its spec says, started on a second thread while the first reads the spec (~80 ms
 * of Jackson): WARDEN_HOME checked and the store opened (SQLite's native library, migrations), and JNA's libc
 * binding loaded. Alone they take ~60 ms; overlapped, `warden run` starts its job ~10 ms sooner (on 2 cores the two
 * threads contend for class loading and C1). A spec that fails to load is reported first, as before; the store
 * opened meanwhile is then closed ({@link #discard}).
 */
final class RunWarmUp {
    private final FutureTask<Opened> task;

    private record Opened(WardenHome home, Store store) {}

    private RunWarmUp(FutureTask<Opened> task) {
        this.task = task;
    }

    static RunWarmUp start() {
        FutureTask<Opened> task = new FutureTask<>(() -> {
            Thread jna = new Thread(Libc::loaded, "warden-run-warmup-jna");
            jna.setDaemon(true);
            jna.start();
            WardenHome home = WardenHome.fromEnvironment().ensureWritable();
            return new Opened(home, Store.open(home));
        });
        Thread t = new Thread(task, "warden-run-warmup");
        t.setDaemon(true);
        t.start();
        return new RunWarmUp(task);
    }

    WardenHome home() {
        return opened().home();
    }

    Store store() {
        return opened().store();
    }

    /** The spec did not load: the store opened meanwhile is closed; a failure to open it is not reported. */
    void discard() {
        try {
            task.get().store().close();
        } catch (ExecutionException e) {
            // the spec's error is the one the user sees
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Opened opened() {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // a UserError about WARDEN_HOME or the store, as when opened on this thread
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the store", e);
        }
    }
}
