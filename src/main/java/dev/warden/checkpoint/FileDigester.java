package dev.warden.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongConsumer;

/** Hashes one whole file with one algorithm. Implementations are thread-safe: one instance serves every worker. */
interface FileDigester {

    /** Reads the file to its end; reports bytes read as it goes. */
    FileDigest digest(Path file, LongConsumer bytesRead) throws IOException;

    /** "java" or "native": shown in `--stats` so a slow host can be explained. */
    String engine();

    /** The digest in lowercase hex, as sha256sum and xxhsum print it, and the bytes it covers. */
    record FileDigest(String hex, long bytes) {}

    /**
     * The fastest digester for this algorithm. The native one (the system's libcrypto or libxxhash, through
     * JNA) is used for big jobs only: loading it costs about 80 ms. WARDEN_NATIVE_HASH=off forces pure Java.
     */
    static FileDigester best(Algorithm algorithm, long totalBytes) {
        if (totalBytes >= NativeDigesters.WORTH_IT_BYTES && nativeAllowed()) {
            FileDigester nat = algorithm == Algorithm.SHA256 ? NativeDigesters.sha256() : NativeDigesters.xxh128();
            if (nat != null) {
                return nat;
            }
        }
        return java(algorithm);
    }

    static FileDigester java(Algorithm algorithm) {
        return algorithm == Algorithm.SHA256 ? JavaDigesters.SHA256 : JavaDigesters.XXH128;
    }

    static boolean nativeAllowed() {
        String v = System.getenv("WARDEN_NATIVE_HASH");
        if (v == null) {
            v = System.getProperty("warden.nativeHash", "");
        }
        v = v.trim().toLowerCase(Locale.ROOT);
        return !(v.equals("off") || v.equals("0") || v.equals("false") || v.equals("no"));
    }
}
