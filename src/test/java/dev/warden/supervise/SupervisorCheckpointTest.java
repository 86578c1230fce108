package dev.warden.supervise;

import dev.warden.event.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `warden run` with a `checkpoints:` section: seal while running, resume only from what verifies. */
class SupervisorCheckpointTest {
    @TempDir
    Path tmp;

    /** A Hugging Face-style trainer: weights first, trainer_state.json last; resumes from WARDEN_RESUME_FROM. */
    static final String TRAINER = String.join("\n",
            "start=0",
            "if [ -n \"$WARDEN_RESUME_FROM\" ]; then start=$(basename \"$WARDEN_RESUME_FROM\" | sed 's/checkpoint-//'); fi",
            "echo \"attempt $WARDEN_ATTEMPT resumes at $start from '${WARDEN_RESUME_FROM:-}'\" | tee -a resumes.txt",
            "for step in 10 20; do",
            "  [ $step -le $start ] && continue",
            "  echo \"step $step/20\"",
            "  mkdir -p ckpt/checkpoint-$step",
            "  head -c 65536 /dev/urandom > ckpt/checkpoint-$step/model.bin",
            "  echo \"{\\\"global_step\\\": $step}\" > ckpt/checkpoint-$step/trainer_state.json",
            "  while [ ! -f ckpt/checkpoint-$step/warden.seal.json ]; do sleep 0.05; done",
            "done",
            "if [ \"$WARDEN_ATTEMPT\" = 1 ] && [ \"${CORRUPT:-}\" = 1 ]; then",
            "  printf 'XXXX' | dd of=ckpt/checkpoint-20/model.bin bs=1 seek=100 conv=notrunc 2>/dev/null  # bit rot after the seal",
            "  exit 1",
            "fi",
            "echo done");

    @Test
    void checkpointCorruptedAfterItsSealIsQuarantinedAndTheRunResumesFromThePreviousOne() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("train.sh", TRAINER);
            int code = h.run("command: CORRUPT=1 ./train.sh\nstart_seconds: 0s\nbackoff: {initial: 0s}\n"
                    + "checkpoints: {dir: ckpt, layout: huggingface, settle: 300ms}\n");

            assertThat(code).isZero();
            assertThat(h.events(EventType.CHECKPOINT_SEALED)).extracting(e -> e.longValue("step")).contains(10L, 20L);
            assertThat(h.events(EventType.CHECKPOINT_QUARANTINED)).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("checkpoint-20"));
            List<String> resumes = Files.readAllLines(tmp.resolve("resumes.txt"));
            assertThat(resumes.get(1)).startsWith("attempt 2 resumes at 10 from").contains("checkpoint-10");
            String aside;
            try (var names = Files.list(tmp.resolve("ckpt"))) {
                aside = names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint-20.corrupt-"))
                        .findFirst().orElse(null);
            }
            assertThat(aside).as("the corrupt checkpoint is moved aside, never deleted").isNotNull();
            java.time.Instant stamped = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
                    .parse(aside.substring("checkpoint-20.corrupt-".length(), "checkpoint-20.corrupt-".length() + 16), java.time.Instant::from);
            assertThat(stamped).as("the quarantine name tells when it happened").isBeforeOrEqualTo(java.time.Instant.now());
        }
    }

    @Test
    void changedDatasetArchivesOldCheckpointsAndStartsFromStepZero() throws Exception {
        Files.writeString(tmp.resolve("data.jsonl"), "{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
        String spec = "command: ./train.sh\nstart_seconds: 0s\n"
                + "checkpoints: {dir: ckpt, layout: huggingface, settle: 300ms, fingerprint: {dataset: [data.jsonl]}, on_dataset_change: archive}\n";
        try (Harness h = new Harness(tmp)) {
            h.script("train.sh", TRAINER);
            assertThat(h.run(spec)).isZero();
        }
        Files.writeString(tmp.resolve("data.jsonl"), "{\"text\": \"a shorter, different dataset\"}\n");
        try (Harness h = new Harness(tmp)) {
            assertThat(h.run(spec)).isZero();

            assertThat(h.events(EventType.RESUMING_FROM).get(0).message()).contains("moved").contains("starting from step 0");
            List<String> resumes = Files.readAllLines(tmp.resolve("resumes.txt"));
            assertThat(resumes.get(resumes.size() - 1)).startsWith("attempt 1 resumes at 0 from ''");
        }
    }

    @Test
    void refusePolicyStopsBeforeAnyAttemptAndNamesTheChange() throws Exception {
        Files.writeString(tmp.resolve("data.jsonl"), "{\"text\": \"a\"}\n");
        String spec = "command: ./train.sh\nstart_seconds: 0s\n"
                + "checkpoints: {dir: ckpt, layout: huggingface, settle: 300ms, fingerprint: {dataset: [data.jsonl]}, on_dataset_change: refuse}\n";
        try (Harness h = new Harness(tmp)) {
            h.script("train.sh", TRAINER);
            assertThat(h.run(spec)).isZero();
        }
        Files.writeString(tmp.resolve("data.jsonl"), "{\"text\": \"changed\"}\n");
        try (Harness h = new Harness(tmp)) {
            assertThat(h.run(spec)).isEqualTo(78);
            assertThat(h.has(EventType.ATTEMPT_STARTED)).isFalse();
            assertThat(h.events(EventType.RUN_ENDED).get(0).message()).contains("refused to start").contains("data");
        }
    }
}
