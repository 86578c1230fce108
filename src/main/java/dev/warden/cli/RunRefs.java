package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.store.RunRecord;
import dev.warden.store.Store;

import java.util.List;

/** A run named by its id, a unique prefix of one, or its job name (the newest run of that job). */
final class RunRefs {
    private RunRefs() {}

    static RunRecord resolve(Store store, String ref) {
        var exact = store.run(ref);
        if (exact.isPresent()) {
            return exact.get();
        }
        List<RunRecord> named = store.runsNamed(ref, 1);
        if (!named.isEmpty()) {
            return named.get(0);
        }
        List<RunRecord> prefixed = store.recentRuns(500).stream().filter(r -> r.id().startsWith(ref)).toList();
        if (prefixed.size() == 1) {
            return prefixed.get(0);
        }
        if (prefixed.size() > 1) {
            throw new UserError("`" + ref + "` matches " + prefixed.size() + " runs (" + prefixed.get(0).id() + ", " + prefixed.get(1).id()
                    + ", ...); give more of the run id");
        }
        throw new UserError("no run `" + ref + "`; `warden ps` lists runs");
    }
}
