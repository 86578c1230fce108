package dev.warden.supervise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A flood far ahead of the follower is gone past, not read; progress comes from its newest lines. */
class LogTailFloodTest {
    @TempDir
    Path tmp;

    private static void writeFlood(Path log, long bytes, String last) throws IOException {
        byte[] line = "2026-11-26 07:40:13,123 INFO worker 3: processed batch 1234 of shard 17 step 5/1000 loss=0.9\n"
                .getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(log)) {
            byte[] block = new byte[line.length * 1024];
            for (int i = 0; i < 1024; i++) {
                System.arraycopy(line, 0, block, i * line.length, line.length);
            }
            for (long w = 0; w < bytes; w += block.length) {
                out.write(block);
            }
            out.write(last.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aBacklogBeyondTheLimitIsSkippedToALineStartAndTheNewestProgressCounts() throws IOException {
        Path log = tmp.resolve("1.log");
        writeFlood(log, LogTail.SKIP_BACKLOG + (8L << 20), "step 999/1000 loss=0.25\n");
        Progress p = new Progress(0);
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        LogTail tail = new LogTail(log, 0, terminal, new ProgressParser(null), p);
        tail.finish();
        tail.run();

        assertThat(tail.skipped()).isGreaterThan(LogTail.SKIP_BACKLOG);
        assertThat(tail.position()).isEqualTo(Files.size(log));
        assertThat(p.step()).isEqualTo(999L);
        assertThat(p.loss()).isEqualTo(0.25);
        assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("MiB of output not echoed (a flood); all of it is in the log");
    }

    @Test
    void aBacklogUnderTheLimitIsReadWhole() throws IOException {
        Path log = tmp.resolve("1.log");
        writeFlood(log, 8L << 20, "step 999/1000 loss=nan\n");
        Progress p = new Progress(0);
        LogTail tail = new LogTail(log, 0, null, new ProgressParser(null), p);
        tail.finish();
        tail.run();

        assertThat(tail.skipped()).isZero();
        assertThat(p.nonFinite()).isTrue();
    }

    @Test
    void theThroughputBenchmarkReadsEveryByte() throws IOException {
        Path log = tmp.resolve("1.log");
        writeFlood(log, LogTail.SKIP_BACKLOG + (8L << 20), "step 999/1000 loss=0.25\n");
        LogTail tail = new LogTail(log, 0, null, new ProgressParser(null), new Progress(0)).everyByte();
        tail.finish();
        tail.run();

        assertThat(tail.skipped()).isZero();
        assertThat(tail.position()).isEqualTo(Files.size(log));
    }
}
