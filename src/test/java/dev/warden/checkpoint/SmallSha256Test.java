package dev.warden.checkpoint;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The manifest digest in a seal record is what sha256sum and MessageDigest compute, at every padding edge. */
class SmallSha256Test {
    @Test
    void knownAnswers() {
        assertThat(SmallSha256.hex(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(SmallSha256.hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void agreesWithMessageDigestAtEveryLengthUpToThreeBlocksAndBeyond() {
        Random random = new Random(7);
        for (int n = 0; n <= 4200; n += n < 200 ? 1 : 97) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            assertThat(SmallSha256.hex(data)).as("length %d", n)
                    .isEqualTo(HexFormat.of().formatHex(JavaDigesters.sha256().digest(data)));
        }
    }
}
