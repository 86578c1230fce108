package dev.warden.spec;

import dev.warden.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every way warden.yaml can be wrong gives one line: file:line:column, what is wrong, and the fix. The expected
 * messages are written out in full: they are what the user reads.
 */
class SpecLoaderErrorsTest {

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                arguments("unknown top-level key, near miss",
                        "command: python train.py\nmax_restart: 3\n",
                        "w.yaml:2:1: unknown key `max_restart`; did you mean `max_restarts`?"),
                arguments("unknown nested key, block style",
                        "command: python train.py\nbudget:\n  max_wal: 1h\n",
                        "w.yaml:3:3: unknown key `max_wal` in `budget`; did you mean `max_wall`?"),
                arguments("unknown nested key, flow style",
                        "command: python train.py\nbudget: {max_wal: 1h}\n",
                        "w.yaml:2:10: unknown key `max_wal` in `budget`; did you mean `max_wall`?"),
                arguments("camelCase key",
                        "command: python train.py\nmaxRestarts: 3\n",
                        "w.yaml:2:1: unknown key `maxRestarts`; did you mean `max_restarts`?"),
                arguments("nested key written at the top level",
                        "command: python train.py\nmax_wall: 1h\n",
                        "w.yaml:2:1: unknown key `max_wall`; `max_wall` belongs under `budget:`"),
                arguments("top-level key written inside a section",
                        "command: python train.py\nbudget:\n  grace: 1h\n",
                        "w.yaml:3:3: unknown key `grace` in `budget`; `grace` is a top-level key: move it out of `budget`"),
                arguments("unknown key in a failure category",
                        "command: python train.py\non:\n  cuda_oom: {halv: batch_size}\n",
                        "w.yaml:3:14: unknown key `halv` in `on.cuda_oom`; did you mean `halve`?"),
                arguments("unknown key, nothing close",
                        "command: python train.py\nzzzzzzzz: 1\n",
                        "w.yaml:2:1: unknown key `zzzzzzzz`; known keys: backoff, budget, checkpoints, checks, command, env, gpus, grace, "
                                + "max_no_progress, max_restarts, name, notify, on, on_finish, on_nan, orphans, params, progress, "
                                + "restart_window, rules, secrets, stall_after, start_seconds, startup_stall, workdir"),
                arguments("word for a number",
                        "command: python train.py\nmax_restarts: five\n",
                        "w.yaml:2:15: `max_restarts` must be a whole number, not `five`"),
                arguments("float for an int",
                        "command: python train.py\nmax_restarts: 2.5\n",
                        "w.yaml:2:15: `max_restarts` must be a whole number, not `2.5`"),
                arguments("int too large",
                        "command: python train.py\nmax_restarts: 99999999999\n",
                        "w.yaml:2:15: `max_restarts` is 99999999999, too large; write a whole number up to 2147483647"),
                arguments("list for a duration",
                        "command: python train.py\ngrace: [1]\n",
                        "w.yaml:2:8: `grace` must be a duration like 90s, 10m or 2h, not a list"),
                arguments("negative duration",
                        "command: python train.py\ngrace: -5s\n",
                        "w.yaml:2:8: `grace`: `-5s` is negative; write 0 or a positive duration such as 90s"),
                arguments("bad duration text",
                        "command: python train.py\nstall_after: 5 parsecs\n",
                        "w.yaml:2:14: `stall_after`: `5 parsecs` is not a duration; write it like 500ms, 90s, 10m, 2h or 1h30m"),
                arguments("nested bad duration",
                        "command: python train.py\nbackoff:\n  initial: soon\n",
                        "w.yaml:3:12: `backoff.initial`: `soon` is not a duration; write it like 500ms, 90s, 10m, 2h or 1h30m"),
                arguments("absurdly long duration",
                        "command: python train.py\nrestart_window: 99999d\n",
                        "w.yaml:2:17: `restart_window`: `99999d` is too long; the longest is 3650d (10 years)"),
                arguments("text for a number",
                        "command: python train.py\nbudget: {usd_per_hour: abc}\n",
                        "w.yaml:2:24: `budget.usd_per_hour` must be a number, not `abc`"),
                arguments("scalar for a section",
                        "command: python train.py\nbudget: 5\n",
                        "w.yaml:2:9: `budget` must be a mapping of `key: value` lines, not `5`"),
                arguments("text for a list",
                        "command: python train.py\nsecrets: HF_TOKEN\n",
                        "w.yaml:2:10: `secrets` must be a list, like `[a, b]`, not `HF_TOKEN`"),
                arguments("text for a boolean",
                        "command: python train.py\non:\n  cuda_oom: {exclude_gpu: maybe}\n",
                        "w.yaml:3:27: `on.cuda_oom.exclude_gpu` must be true or false, not `maybe`"),
                arguments("empty failure category",
                        "command: python train.py\non:\n  cuda_oom:\n",
                        "w.yaml:3:12: `on.cuda_oom` is empty; write a mapping of `key: value` lines, or remove the key"),
                arguments("missing command",
                        "name: demo\ngrace: 5s\n",
                        "w.yaml:1:1: missing `command`; add the training command, e.g. `command: python train.py --lr 3e-4`"),
                arguments("empty command",
                        "command: ''\n",
                        "w.yaml:1:10: missing `command`; add the training command, e.g. `command: python train.py --lr 3e-4`"),
                arguments("command neither text nor list",
                        "command: {python: train.py}\n",
                        "w.yaml:1:10: `command` must be a string or a list of strings, like `command: python train.py`"),
                arguments("command list with a mapping in it",
                        "command: [python, {a: 1}]\n",
                        "w.yaml:1:10: `command` list items must be strings, found object"),
                arguments("empty file",
                        "",
                        "w.yaml:1:1: the spec is empty; it needs at least the training command, e.g. `command: python train.py`"),
                arguments("comments only",
                        "# TODO\n",
                        "w.yaml:1:1: the spec is empty; it needs at least the training command, e.g. `command: python train.py`"),
                arguments("a list instead of a mapping",
                        "- python\n- train.py\n",
                        "w.yaml:1:1: the spec must be a mapping of keys such as `command: python train.py`, not a list"),
                arguments("plain text instead of a mapping",
                        "python train.py\n",
                        "w.yaml:1:1: the spec must be a mapping of keys such as `command: python train.py`, not the text `python train.py`"),
                arguments("YAML: unquoted colon in a value",
                        "command: python train.py\n  foo: : bar\n",
                        "w.yaml:2:6: not valid YAML: mapping values are not allowed here; a value that contains `: ` must be quoted, "
                                + "e.g. command: \"python train.py --x a: b\""),
                arguments("YAML: unclosed list",
                        "command: [python, train.py\n",
                        "w.yaml:2:1: not valid YAML: expected ',' or ']', but got <stream end> (in the [list] opened at 1:10)"),
                arguments("YAML: unclosed quote",
                        "command: 'python train.py\n",
                        "w.yaml:2:1: not valid YAML: found unexpected end of stream (in the quoted text opened at 1:10)"),
                arguments("YAML: tab indentation",
                        "command: python train.py\n\tgrace: 1\n",
                        "w.yaml:2:1: not valid YAML: a tab character; indent with spaces, YAML does not allow tabs"),
                arguments("duplicate key",
                        "command: python a.py\ngrace: 5s\ncommand: python b.py\n",
                        "w.yaml:3:1: duplicate key `command`; keep one of them (YAML would silently use the last one)"),
                arguments("duplicate nested key",
                        "command: python train.py\nbudget:\n  max_wall: 1h\n  max_wall: 2h\n",
                        "w.yaml:4:3: duplicate key `max_wall`; keep one of them (YAML would silently use the last one)"),
                arguments("unknown ${param}, near miss",
                        "command: python train.py --lr ${lr}\nparams: {l: 0.1}\n",
                        "w.yaml:1:10: `command` uses ${lr}, which is not defined; add it under `params:`, e.g. `params: {lr: ...}`; did you mean `l`?"),
                arguments("unknown ${param} in a list item",
                        "command: [python, train.py, --bs, '${batch}']\n",
                        "w.yaml:1:35: `command` uses ${batch}, which is not defined; add it under `params:`, e.g. `params: {batch: ...}`"),
                arguments("unknown ${param} in env",
                        "command: python train.py\nenv:\n  RUN: '${run}'\n",
                        "w.yaml:3:8: `env.RUN` uses ${run}, which is not defined; add it under `params:`, e.g. `params: {run: ...}`"),
                arguments("bad on_nan",
                        "command: python train.py\non_nan: ignore\n",
                        "w.yaml:2:9: `on_nan` is `ignore`; use one of: stop, restart"),
                arguments("bad orphans, near miss",
                        "command: python train.py\norphans: adpot\n",
                        "w.yaml:2:10: `orphans` is `adpot`; use one of: kill, adopt; did you mean `adopt`?"),
                arguments("bad failure action",
                        "command: python train.py\non:\n  nccl_error: {action: retyr}\n",
                        "w.yaml:3:24: `on.nccl_error.action` is `retyr`; use one of: retry, stop; did you mean `retry`?"),
                arguments("halve names a param not in params",
                        "command: python train.py\non:\n  cuda_oom: {halve: batch_size, min: 4}\n",
                        "w.yaml:3:21: `on.cuda_oom.halve` names `batch_size`, which is not in `params`; add `params: {batch_size: 32}` "
                                + "and use ${batch_size} in the command"),
                arguments("halve names a param that is not a whole number",
                        "command: python train.py --lr ${lr}\nparams: {lr: 0.001}\non:\n  cuda_oom: {halve: lr}\n",
                        "w.yaml:4:21: `on.cuda_oom.halve` names `lr`, whose value `0.001` is not a whole number; only a whole number can be halved"),
                arguments("halving down to zero",
                        "command: python train.py --bs ${bs}\nparams: {bs: 32}\non:\n  cuda_oom: {halve: bs, min: 0}\n",
                        "w.yaml:4:30: `on.cuda_oom.min` is 0; it must be at least 1"),
                arguments("bad progress regex",
                        "command: python train.py\nprogress:\n  step: 'step (\\d+'\n",
                        "w.yaml:3:9: `progress.step` is not a valid regex (Unclosed group at index 9); write a Java regex with one "
                                + "capture group in single quotes, e.g. 'step (\\d+)'"),
                arguments("progress regex with no group",
                        "command: python train.py\nprogress:\n  loss: 'loss=\\S+'\n",
                        "w.yaml:3:9: `progress.loss` has no capture group; put the number in parentheses, e.g. 'step (\\d+)'"),
                arguments("bad webhook URL",
                        "command: python train.py\nnotify:\n  webhook: hooks.slack.com/services/T0\n",
                        "w.yaml:3:12: `notify.webhook` is `hooks.slack.com/services/T0`; write a full http(s) URL, e.g. "
                                + "https://hooks.slack.com/services/T000/B000/XXXX"),
                arguments("webhook that is not http",
                        "command: python train.py\nnotify: {webhook: 'ftp://example.com/x'}\n",
                        "w.yaml:2:19: `notify.webhook` is `ftp://example.com/x`; write a full http(s) URL, e.g. "
                                + "https://hooks.slack.com/services/T000/B000/XXXX"),
                arguments("negative max_restarts",
                        "command: python train.py\nmax_restarts: -1\n",
                        "w.yaml:2:15: `max_restarts` is -1; use 0 for no restarts or a positive number"),
                arguments("zero max_no_progress",
                        "command: python train.py\nmax_no_progress: 0\n",
                        "w.yaml:2:18: `max_no_progress` is 0; it must be at least 1"),
                arguments("zero restart window",
                        "command: python train.py\nrestart_window: 0\n",
                        "w.yaml:2:17: `restart_window` is 0; give a window such as 1h"),
                arguments("warn_at as a percentage",
                        "command: python train.py\nbudget: {warn_at: 80}\n",
                        "w.yaml:2:19: `budget.warn_at` is 80; write a share between 0 and 1, such as 0.8"),
                arguments("unknown signal",
                        "command: python train.py\nbudget: {signal: USR3}\n",
                        "w.yaml:2:18: `budget.signal` is `USR3`; use a signal name such as USR1, USR2 or TERM"),
                arguments("early signal longer than the budget",
                        "command: python train.py\nbudget:\n  max_wall: 1h\n  signal_before: 2h\n",
                        "w.yaml:4:18: `budget.signal_before` is 2h, not shorter than the budget limit (1h); the signal would be sent at the start"),
                arguments("early signal longer than the money limit",
                        "command: python train.py\nbudget: {usd_per_hour: 2.0, max_usd: 1.0, signal_before: 45m}\n",
                        "w.yaml:2:58: `budget.signal_before` is 45m, not shorter than the budget limit (30m); the signal would be sent at the start"),
                arguments("name that cannot name a file",
                        "command: python train.py\nname: my job/1\n",
                        "w.yaml:2:7: `name` is `my job/1`; use letters, digits, `.`, `_` and `-` only (it names lock and run files)"),
                arguments("param with a list value",
                        "command: python train.py\nparams:\n  layers: [1, 2]\n",
                        "w.yaml:3:11: `params.layers` must be a single value (text or a number), not a list"),
                arguments("param with no value",
                        "command: python train.py --bs ${bs}\nparams:\n  bs: ~\n",
                        "w.yaml:3:7: `params.bs` is empty; give it a value, e.g. `bs: 32`"),
                arguments("several problems: the first is shown, the rest counted",
                        "command: python train.py\non_nan: ignore\norphans: never\nmax_no_progress: 0\n",
                        "w.yaml:2:9: `on_nan` is `ignore`; use one of: stop, restart (and 2 more problems)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecGivesOneLineWithLocationAndFix(String what, String yaml, String expected) {
        UserError e = catchThrowableOfType(UserError.class, () -> SpecLoader.parse(yaml, "w.yaml"));

        assertThat(e).as("no error for: " + what).isNotNull();
        assertThat(e.getMessage()).isEqualTo(expected);
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("dev.warden");
        assertThat(e.exitCode()).isEqualTo(UserError.CONFIG);
    }

    @Test
    void locationPointsAtTheOffendingTextItself() {
        String yaml = "# demo\nname: demo\ncommand: python train.py\nbudget:\n  usd_per_hour: 2.49\n  max_wall: 5 parsecs\n";

        String msg = catchThrowableOfType(UserError.class, () -> SpecLoader.parse(yaml, "w.yaml")).getMessage();

        String[] where = msg.split(":");
        int line = Integer.parseInt(where[1]);
        int column = Integer.parseInt(where[2]);
        assertThat(yaml.lines().toList().get(line - 1).substring(column - 1)).isEqualTo("5 parsecs");
    }

    @Test
    void missingFileSaysHowToMakeOne(@TempDir Path dir) {
        Path missing = dir.resolve("warden.yaml");

        UserError e = catchThrowableOfType(UserError.class, () -> SpecLoader.load(missing));

        assertThat(e.getMessage()).isEqualTo("spec file " + missing + " not found; write one with `warden init -- <your command>`, "
                + "or run without a spec: `warden run -- python train.py`");
        assertThat(e.exitCode()).isEqualTo(UserError.CONFIG);
    }

    @Test
    void directoryInsteadOfFileNamesTheFileToGive(@TempDir Path dir) {
        UserError e = catchThrowableOfType(UserError.class, () -> SpecLoader.load(dir));

        assertThat(e.getMessage()).isEqualTo("spec file " + dir + " is a directory; give the spec file itself, e.g. " + dir.resolve("warden.yaml"));
    }

    @Test
    void fileThatIsNotUtf8IsNamedAsSuch(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("warden.yaml");
        Files.write(spec, new byte[] {'c', 'o', 'm', 'm', 'a', 'n', 'd', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});

        UserError e = catchThrowableOfType(UserError.class, () -> SpecLoader.load(spec));

        assertThat(e.getMessage()).isEqualTo("spec file " + spec + " is not UTF-8 text; save it as UTF-8");
    }

    @Test
    void errorsInAFileAreLabelledWithThePathAsGiven(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("warden.yaml");
        Files.writeString(spec, "command: python train.py\ngrace: -5s\n");

        UserError e = catchThrowableOfType(UserError.class, () -> SpecLoader.load(spec));

        assertThat(e.getMessage()).startsWith(spec + ":2:8: `grace`");
    }

    @Test
    void workdirThatDoesNotExistIsNamedWithWhereItResolved(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("warden.yaml");
        Files.writeString(spec, "command: python train.py\nworkdir: runs/missing\n");

        UserError e = catchThrowableOfType(UserError.class, () -> SpecLoader.load(spec));

        assertThat(e.getMessage()).isEqualTo(spec + ":2:10: `workdir` is `runs/missing`, which is not a directory ("
                + dir.resolve("runs/missing") + "); create it or fix the path");
    }

    @Test
    void noCommandOnTheCommandLineSaysHowToGiveOne() {
        UserError e = catchThrowableOfType(UserError.class, () -> SpecLoader.fromCommand(List.of(), Path.of(".")));

        assertThat(e.getMessage()).isEqualTo("no command given; use `warden run -- python train.py` or `warden run warden.yaml`");
        assertThat(e.exitCode()).isEqualTo(UserError.USAGE);
    }
}
