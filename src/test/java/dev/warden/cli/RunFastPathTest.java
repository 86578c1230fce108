package dev.warden.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** `warden run` read without picocli means what picocli reads, or is left to picocli. */
class RunFastPathTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "run", "run warden.yaml", "run -q", "run -q warden.yaml", "run warden.yaml -q", "run --quiet spec.yaml",
            "run -- python train.py --lr 3e-4 -q", "run -q -- python train.py", "run --skip-check disk -- sh -c x",
            "run --skip-check disk --skip-check gpu spec.yaml", "run spec.yaml --skip-check data",
            "run -- --weird-but-a-command"})
    void whatItReadsIsWhatPicocliReads(String line) {
        String[] argv = line.split(" ");
        RunFastPath.Parsed fast = RunFastPath.parse(argv);
        assertThat(fast).as("taken by the fast path").isNotNull();

        RunCommand c = new RunCommand();
        CommandLine.ParseResult pr = new CommandLine(c).parseArgs(Arrays.copyOfRange(argv, 1, argv.length));
        assertThat(fast.args()).isEqualTo(c.args);
        assertThat(fast.quiet()).isEqualTo(c.quiet);
        assertThat(fast.skipChecks()).isEqualTo(c.skipChecks);
        assertThat(fast.dashDash()).isEqualTo(pr.originalArgs().contains("--"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "run --help", "run -h", "run -V", "run --bogus", "run a b", "run -q -q", "run --skip-check=disk",
            "run --skip-check", "run spec.yaml -- python x", "run --", "run @args.txt", "ps", "ckpt seal dir"})
    void everythingElseIsLeftToPicocli(String line) {
        assertThat(RunFastPath.parse(line.split(" "))).isNull();
    }
}
