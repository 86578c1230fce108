package dev.warden.supervise;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which kernel-log lines are blamed on an attempt: only those logged while it ran. */
class KernelLinesTest {
    static final String LOG = """
            $ dmesg (last 2000 lines, read with syslog(2))
            [ 7000.100000] Memory cgroup out of memory: Killed process 15000 (python) an hour ago
            [ 7070.000000] eth0: link up
            [ 7076.465240] oom-kill:constraint=CONSTRAINT_MEMCG,task=python,pid=15249
              continuation without a stamp
            [ 7076.465269] Memory cgroup out of memory: Killed process 15249 (python)
            """;

    @Test
    void onlyTheLinesSinceTheAttemptStartedAreKept() {
        assertThat(DiagnoseClassifier.linesSince(LOG, 7075.0)).isEqualTo("""
                [ 7076.465240] oom-kill:constraint=CONSTRAINT_MEMCG,task=python,pid=15249
                [ 7076.465269] Memory cgroup out of memory: Killed process 15249 (python)
                """);
    }

    @Test
    void nothingNewMeansNothingAndEverythingNewMeansEveryStampedLine() {
        assertThat(DiagnoseClassifier.linesSince(LOG, 8000.0)).isEmpty();
        assertThat(DiagnoseClassifier.linesSince(LOG, 0.0).lines()).hasSize(4).allMatch(l -> l.startsWith("["));
        assertThat(DiagnoseClassifier.linesSince("", 0.0)).isEmpty();
    }
}
