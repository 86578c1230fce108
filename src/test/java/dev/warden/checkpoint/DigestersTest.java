package dev.warden.checkpoint;

import com.dynatrace.hash4j.hashing.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Streaming digests (pure Java and native) equal one-shot reference digests at every size edge of XXH3 and of the read buffer. */
class DigestersTest {
    private static final int MIB = 1 << 20;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 127, 128, 129, 239, 240, 241, 1023, 1024, 1025, 16_384, MIB - 1, MIB, MIB + 1, 3 * MIB + 7})
    void javaAndNativeAgreeWithOneShotDigests(int size, @TempDir Path dir) throws Exception {
        byte[] data = Fixtures.random(new Random(size), size);
        Path f = Fixtures.file(dir.resolve("f.bin"), data);
        String sha = HexFormat.of().formatHex(JavaDigesters.sha256().digest(data));
        String xxh = JavaDigesters.xxh128Hex(Hashing.xxh3_128().hashBytesTo128Bits(data));

        assertThat(JavaDigesters.SHA256.digest(f, n -> {}).hex()).isEqualTo(sha);
        assertThat(JavaDigesters.XXH128.digest(f, n -> {})).isEqualTo(new FileDigester.FileDigest(xxh, size));
        FileDigester nativeSha = NativeDigesters.sha256();
        FileDigester nativeXxh = NativeDigesters.xxh128();
        if (nativeSha != null) {
            assertThat(nativeSha.digest(f, n -> {})).isEqualTo(new FileDigester.FileDigest(sha, size));
        }
        if (nativeXxh != null) {
            assertThat(nativeXxh.digest(f, n -> {})).isEqualTo(new FileDigester.FileDigest(xxh, size));
        }
    }

    @Test
    void theNativeSelfTestsExpectWhatJavaComputes() {
        byte[] warden = "warden".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(HexFormat.of().formatHex(JavaDigesters.sha256().digest(warden))).isEqualTo(NativeDigesters.SELF_TEST_SHA256);
        assertThat(JavaDigesters.xxh128Hex(Hashing.xxh3_128().hashBytesTo128Bits(NativeDigesters.xxhSelfTestSample())))
                .isEqualTo(NativeDigesters.SELF_TEST_XXH128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "xxh128"})
    void nativeDigesterLoadsOnAHostWithTheLibraries(String alg) {
        boolean hasLib = alg.equals("sha256")
                ? java.nio.file.Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
                : java.nio.file.Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libxxhash.so.0"));
        assumeTrue(hasLib, "library not installed here");
        FileDigester d = alg.equals("sha256") ? NativeDigesters.sha256() : NativeDigesters.xxh128();
        assertThat(d).isNotNull();
        assertThat(d.engine()).startsWith("native");
    }
}
