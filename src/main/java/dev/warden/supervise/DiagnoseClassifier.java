package dev.warden.supervise;

import dev.warden.diagnose.Diagnoser;
import dev.warden.diagnose.Evidence;
import dev.warden.diagnose.ExitInfo;
import dev.warden.diagnose.Verdict;

import java.util.List;

/** The rule catalog (dev.warden.diagnose) as the supervisor's classifier; monitor stops map to their category. */
public final class DiagnoseClassifier implements Classifier {
    private final Diagnoser diagnoser;

    public DiagnoseClassifier(Diagnoser diagnoser) {
        this.diagnoser = diagnoser;
    }

    @Override
    public Verdict classify(AttemptResult r) {
        if (r.stoppedFor() != null) {
            String line = r.stoppedDetail() == null ? "" : r.stoppedDetail();
            return diagnoser.forCategory(r.stoppedFor(), line.isEmpty() ? List.of() : List.of(new Evidence(0, line)));
        }
        ExitStatus e = r.exit();
        ExitInfo exit = e.code() < 0 ? ExitInfo.unknown() : new ExitInfo(e.code(), e.signal());
        return diagnoser.classify(r.log(), exit);
    }
}
