package dev.warden.checkpoint;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleProgressTest {
    @Test
    void silentForShortJobsThenOneRedrawnLineThenCleared() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong nanos = new AtomicLong();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), nanos::get);

        p.start("sealing checkpoint-9", 4L << 30);
        p.advance(1L << 30);
        nanos.set(1_000_000_000L);
        p.advance(1L << 30);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).as("under two seconds: nothing").isEmpty();

        nanos.set(2_500_000_000L);
        p.advance(0);
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertThat(shown).startsWith("\rsealing checkpoint-9 [############------------]  50%  2.0 GiB/4.0 GiB")
                .contains("GB/s").doesNotContain("\n");

        p.finish();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("\r").doesNotContain("\n");
    }
}
