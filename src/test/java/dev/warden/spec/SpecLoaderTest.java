package dev.warden.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpecLoaderTest {

    @Test
    void minimalSpecGetsEveryDocumentedDefault(@TempDir Path dir) throws IOException {
        Path file = write(dir, "command: python train.py --lr 3e-4\n");

        JobSpec s = SpecLoader.load(file).spec();

        assertThat(s.name()).isEqualTo("train");
        assertThat(s.workdir()).isEqualTo(dir.toString());
        assertThat(s.grace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.startSeconds()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.maxRestarts()).isEqualTo(5);
        assertThat(s.restartWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(s.maxNoProgress()).isEqualTo(3);
        assertThat(s.stallAfter()).as("unset = learned from step times").isNull();
        assertThat(s.startupStall()).as("unset: the learned timeout waits 15m for the first step (StallDetector)").isNull();
        assertThat(s.backoff()).isEqualTo(new JobSpec.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(10)));
        assertThat(s.budget()).isEqualTo(new JobSpec.Budget(Duration.ZERO, 0.0, 0.0, 0.8, Duration.ZERO, "USR1"));
        assertThat(s.onNan()).isEqualTo("stop");
        assertThat(s.orphans()).isEqualTo("kill");
        assertThat(s.env()).isEmpty();
        assertThat(s.params()).isEmpty();
        assertThat(s.secrets()).isEmpty();
        assertThat(s.on()).isEmpty();
        assertThat(s.checks()).isEmpty();
    }

    @Test
    void givenValuesWinOverDefaultsAndPartialSectionsAreCompleted(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("code"));
        Path file = write(dir, """
                name: llama-lora
                command: [torchrun, --nproc_per_node, 8, train.py]
                workdir: code
                grace: 1m30s
                max_restarts: 0
                backoff: {initial: 0}
                budget:
                  max_wall: 12h
                  usd_per_hour: 2.49
                on_nan: restart
                """);

        JobSpec s = SpecLoader.load(file).spec();

        assertThat(s.name()).isEqualTo("llama-lora");
        assertThat(s.command().argv()).containsExactly("torchrun", "--nproc_per_node", "8", "train.py");
        assertThat(s.workdir()).isEqualTo(dir.resolve("code").toString());
        assertThat(s.grace()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.maxRestarts()).isZero();
        assertThat(s.backoff()).isEqualTo(new JobSpec.Backoff(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(10)));
        assertThat(s.budget().maxWall()).isEqualTo(Duration.ofHours(12));
        assertThat(s.budget().usdPerHour()).isEqualTo(2.49);
        assertThat(s.budget().warnAt()).isEqualTo(0.8);
        assertThat(s.onNan()).isEqualTo("restart");
    }

    @Test
    void commandAsStringRunsThroughBashAndAsListRunsAsIs() {
        JobSpec shell = SpecLoader.parse("command: python train.py | tee log.txt\n", "w.yaml");
        JobSpec argv = SpecLoader.parse("command:\n  - python\n  - train.py\n  - --name\n  - my run\n", "w.yaml");

        assertThat(shell.command().toArgv()).containsExactly("bash", "-c", "python train.py | tee log.txt");
        assertThat(argv.command().toArgv()).containsExactly("python", "train.py", "--name", "my run");
        assertThat(argv.command().display()).isEqualTo("python train.py --name 'my run'");
    }

    @Test
    void paramsAreRenderedIntoTheCommandAsTheUserWroteThem() {
        JobSpec s = SpecLoader.parse("""
                command: python train.py --lr ${lr} --bs ${batch_size} --wd ${wd} --eps ${eps} --fp16 ${fp16} --out ${out}
                params: {lr: 3e-4, batch_size: 32, wd: 0.01, eps: 1.0e-8, fp16: true, out: runs/a b}
                """, "w.yaml");

        String line = Params.render(s.command().shell(), s.params());

        assertThat(line).isEqualTo("python train.py --lr 0.0003 --bs 32 --wd 0.01 --eps 1e-8 --fp16 true --out runs/a b");
    }

    @Test
    void reservedNamesNeedNoParamsAndAreLeftForTheSupervisor() {
        JobSpec s = SpecLoader.parse("command: python train.py --resume ${checkpoint} --run ${run_id} --try ${attempt}\n", "w.yaml");

        assertThat(Params.render(s.command().shell(), Map.of("checkpoint", "ckpt/step-10", "run_id", "r1", "attempt", 2)))
                .isEqualTo("python train.py --resume ckpt/step-10 --run r1 --try 2");
        assertThat(Params.render(s.command().shell(), Map.of())).as("unknown names stay as written")
                .isEqualTo("python train.py --resume ${checkpoint} --run ${run_id} --try ${attempt}");
    }

    @Test
    void renderingDoesNotTreatDollarsOrBackslashesInValuesSpecially() {
        assertThat(Params.render("echo ${a}", Map.of("a", "$HOME\\n ${b}"))).isEqualTo("echo $HOME\\n ${b}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "python train.py --lr 3e-4              | train",
            "torchrun --nproc_per_node 8 src/finetune.py | finetune",
            "accelerate launch scripts/run_sft.py   | run_sft",
            "bash ./launch.sh                       | launch",
            "python -m my_pkg.trainers.pretrain --x 1 | pretrain",
            "deepspeed                              | deepspeed",
            "/opt/venv/bin/my-trainer --fast        | my-trainer",
    })
    void jobNameDefaultsToTheScriptsName(String command, String name, @TempDir Path dir) throws IOException {
        Path file = write(dir, "command: " + command + "\n");

        assertThat(SpecLoader.load(file).spec().name()).isEqualTo(name);
    }

    @Test
    void commandLineRunGetsDefaultsAndTheCurrentDirectory(@TempDir Path dir) {
        LoadedSpec l = SpecLoader.fromCommand(List.of("python", "train.py", "--lr", "3e-4"), dir);

        assertThat(l.file()).isNull();
        assertThat(l.source()).isEqualTo("command line");
        assertThat(l.spec().command().toArgv()).containsExactly("python", "train.py", "--lr", "3e-4");
        assertThat(l.spec().name()).isEqualTo("train");
        assertThat(l.spec().workdir()).isEqualTo(dir.toString());
        assertThat(l.spec().maxRestarts()).isEqualTo(SpecDefaults.MAX_RESTARTS);
    }

    @Test
    void oneQuotedArgumentWithSpacesIsAShellLine(@TempDir Path dir) {
        LoadedSpec l = SpecLoader.fromCommand(List.of("python train.py 2>&1 | tee out.log"), dir);

        assertThat(l.spec().command().toArgv()).containsExactly("bash", "-c", "python train.py 2>&1 | tee out.log");
        assertThat(l.spec().name()).isEqualTo("train");
    }

    @Test
    void emptyValuesMeanUnsetLikeTilde() {
        JobSpec s = SpecLoader.parse("command: python train.py\nstall_after:\nmax_restarts:\n", "w.yaml");

        assertThat(s.stallAfter()).isNull();
        assertThat(s.maxRestarts()).isNull();
    }

    @Test
    void byteOrderMarkFromAWindowsEditorIsIgnored() {
        assertThat(SpecLoader.parse("\uFEFFcommand: python train.py\n", "w.yaml").command().shell()).isEqualTo("python train.py");
    }

    @Test
    void envValuesMayBeNumbersAndParamsMayBeQuotedNumbers() {
        JobSpec s = SpecLoader.parse("""
                command: python train.py --bs ${bs}
                env: {CUDA_VISIBLE_DEVICES: 0, NCCL_DEBUG: INFO}
                params: {bs: "32"}
                on:
                  cuda_oom: {halve: bs, min: 4}
                """, "w.yaml");

        assertThat(s.env()).containsEntry("CUDA_VISIBLE_DEVICES", "0").containsEntry("NCCL_DEBUG", "INFO");
        assertThat(s.on().get("cuda_oom")).isEqualTo(new JobSpec.OnFailure(null, "bs", 4, null));
    }

    @Test
    void demoSpecShippedWithWardenLoads() {
        LoadedSpec l = SpecLoader.load(Path.of("examples/demo/warden.yaml"));

        assertThat(l.spec().name()).isEqualTo("demo");
        assertThat(l.spec().params()).containsEntry("batch_size", 32);
        assertThat(l.spec().on()).containsKey("cuda_oom");
        assertThat(l.spec().stallAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    private static Path write(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("warden.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
