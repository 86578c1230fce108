package dev.warden.logging;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StderrLoggingTest {
    @Test
    void librariesWarningsAreOneLineEachAndTheirChatterIsDropped() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StderrLoggerFactory f = new StderrLoggerFactory(new PrintStream(buf, true, StandardCharsets.UTF_8));

        f.getLogger("org.sqlite.SQLiteConnection").warn("database {} is locked, retry {}", "warden.db", 3);
        f.getLogger("org.sqlite.SQLiteConnection").info("opened");
        f.getLogger("oshi.util.FileUtil").debug("read /proc/meminfo");
        f.getLogger("ai.djl.util.Platform").warn("no CUDA found");
        f.getLogger("ai.djl.huggingface.tokenizers.HuggingFaceTokenizer").error("cannot load", new IllegalStateException("bad json"));

        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(
                "warden: SQLiteConnection: database warden.db is locked, retry 3\n"
                        + "warden: HuggingFaceTokenizer: cannot load (IllegalStateException: bad json)\n");
    }

    @Test
    void slf4jFindsThisProviderAndNoOther() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(StderrLoggerFactory.class);
    }
}
