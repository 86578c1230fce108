package dev.warden.checkpoint;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The system's own hash libraries through JNA (already on the classpath through OSHI): libcrypto's SHA-256
 * (what `openssl dgst` runs) and libxxhash's XXH3-128 (what `xxhsum -H2` runs, with its AVX2/AVX-512
 * dispatch). They give the same digests as the Java digesters and run at the speed of the C tools whatever
 * the JIT does: the supervisor's C1-only JVM hashes SHA-256 about 8x slower in pure Java.
 * The file is read into a direct buffer (no mmap: a file truncated under a mapping would crash the JVM).
 * Any failure to load means "not available": callers fall back to pure Java.
 */
final class NativeDigesters {
    /** Below this total, loading JNA (about 80 ms) costs more than it saves. */
    static final long WORTH_IT_BYTES = 64L << 20;
    private static final int BUFFER = 1 << 20;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));

    /**
     * Known answers the libraries must reproduce before they are trusted: `printf warden | sha256sum` and `xxhsum -H2`
     * of {@link #xxhSelfTestSample()}. Constants, so that loading a library does not also load Java's own digests.
     */
    static final String SELF_TEST_SHA256 = "8bdb247a2a76e166450e193f185f0deeceedee6550589de2cd964e7ce36c9de6";
    static final String SELF_TEST_XXH128 = "f534f51e82a81d29989765d0ea7a5ecd";

    private NativeDigesters() {}

    static byte[] xxhSelfTestSample() {
        byte[] sample = new byte[1000];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (byte) (i * 31 + 7);
        }
        return sample;
    }

    /** null when libcrypto cannot be loaded here. */
    static FileDigester sha256() {
        return Crypto.DIGESTER;
    }

    /** null when libxxhash cannot be loaded here. */
    static FileDigester xxh128() {
        return Xxhash.DIGESTER;
    }

    private interface Sink {
        void accept(Pointer data, int n);
    }

    private static long read(Path file, Sink sink, LongConsumer bytesRead) throws IOException {
        ByteBuffer buf = BUFFERS.get();
        Pointer ptr = Native.getDirectBufferPointer(buf);
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = ch.read(buf.clear())) > 0) {
                sink.accept(ptr, n);
                total += n;
                bytesRead.accept(n);
            }
        }
        return total;
    }

    /** Loads JNA itself (no hash library yet): the part of loading that does not depend on the algorithm. */
    static void loadJna() {
        dev.warden.supervise.JnaStartup.prepare();
        if (Native.POINTER_SIZE == 0) {
            throw new IllegalStateException("JNA did not initialise");
        }
    }

    /** The sonames first: they resolve through the loader's cache; a bare name may make JNA search directories. */
    private static NativeLibrary load(List<String> names) {
        dev.warden.supervise.JnaStartup.prepare();
        for (String name : names) {
            try {
                return NativeLibrary.getInstance(name);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                // try the next name
            }
        }
        return null;
    }

    /** libcrypto's EVP interface: present and stable in OpenSSL 1.1 and 3.x. */
    private static final class Crypto implements FileDigester {
        static final FileDigester DIGESTER = create();

        private final Function mdCtxNew;
        private final Function mdCtxFree;
        private final Function sha256;
        private final Function init;
        private final Function finish;

        private Crypto(NativeLibrary lib) {
            mdCtxNew = lib.getFunction("EVP_MD_CTX_new");
            mdCtxFree = lib.getFunction("EVP_MD_CTX_free");
            sha256 = lib.getFunction("EVP_sha256");
            init = lib.getFunction("EVP_DigestInit_ex");
            finish = lib.getFunction("EVP_DigestFinal_ex");
            Native.register(DigestUpdate.class, lib);
        }

        /** Direct-mapped: the call made once per buffer costs a JNI call instead of Function.invoke's conversions. */
        private static final class DigestUpdate {
            static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);
        }

        private static FileDigester create() {
            try {
                NativeLibrary lib = load(List.of("libcrypto.so.3", "libcrypto.so.1.1", "crypto"));
                if (lib == null) {
                    return null;
                }
                Crypto c = new Crypto(lib);
                // prove it works and gives the known digest before trusting it
                return c.selfTestOk() ? c : null;
            } catch (Throwable e) {
                return null;
            }
        }

        private boolean selfTestOk() {
            byte[] sample = "warden".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ByteBuffer b = ByteBuffer.allocateDirect(sample.length).put(sample);
            String expected = SELF_TEST_SHA256;
            Pointer ctx = mdCtxNew.invokePointer(new Object[0]);
            try {
                check(init.invokeInt(new Object[] {ctx, sha256.invokePointer(new Object[0]), null}), "init");
                check(DigestUpdate.EVP_DigestUpdate(ctx, Native.getDirectBufferPointer(b), sample.length), "update");
                byte[] out = new byte[32];
                check(finish.invokeInt(new Object[] {ctx, out, new IntByReference()}), "final");
                return HexFormat.of().formatHex(out).equals(expected);
            } finally {
                mdCtxFree.invokeVoid(new Object[] {ctx});
            }
        }

        @Override
        public FileDigest digest(Path file, LongConsumer bytesRead) throws IOException {
            Pointer ctx = mdCtxNew.invokePointer(new Object[0]);
            if (ctx == null) {
                throw new IOException("libcrypto could not allocate a digest context");
            }
            try {
                check(init.invokeInt(new Object[] {ctx, sha256.invokePointer(new Object[0]), null}), "init");
                long total = read(file, (p, n) -> check(DigestUpdate.EVP_DigestUpdate(ctx, p, n), "update"), bytesRead);
                byte[] out = new byte[32];
                check(finish.invokeInt(new Object[] {ctx, out, new IntByReference()}), "final");
                return new FileDigest(HexFormat.of().formatHex(out), total);
            } finally {
                mdCtxFree.invokeVoid(new Object[] {ctx});
            }
        }

        private static void check(int rc, String what) {
            if (rc != 1) {
                throw new IllegalStateException("libcrypto EVP_Digest " + what + " failed");
            }
        }

        @Override
        public String engine() {
            return "native libcrypto";
        }
    }

    /** libxxhash's streaming XXH3-128 (xxhash 0.8 API). */
    private static final class Xxhash implements FileDigester {
        static final FileDigester DIGESTER = create();

        private final Function createState;
        private final Function freeState;
        private final Function reset;
        private final Function digest;
        private final Update update;

        private Xxhash(NativeLibrary lib) {
            createState = lib.getFunction("XXH3_createState");
            freeState = lib.getFunction("XXH3_freeState");
            reset = lib.getFunction("XXH3_128bits_reset");
            digest = lib.getFunction("XXH3_128bits_digest");
            update = updateFunction(lib);
        }

        /** The x86 build exports a dispatching update that picks AVX2/AVX-512 at run time; use it when there. */
        private static Update updateFunction(NativeLibrary lib) {
            try {
                Native.register(DispatchUpdate.class, lib);
                return DispatchUpdate::XXH3_128bits_update_dispatch;
            } catch (UnsatisfiedLinkError e) {
                Native.register(PlainUpdate.class, lib);
                return PlainUpdate::XXH3_128bits_update;
            }
        }

        private interface Update {
            int update(Pointer state, Pointer data, long length);
        }

        /** Direct-mapped: the call made once per buffer costs a JNI call instead of Function.invoke's conversions. */
        private static final class DispatchUpdate {
            static native int XXH3_128bits_update_dispatch(Pointer state, Pointer data, long length);
        }

        private static final class PlainUpdate {
            static native int XXH3_128bits_update(Pointer state, Pointer data, long length);
        }

        private static FileDigester create() {
            try {
                NativeLibrary lib = load(List.of("libxxhash.so.0", "xxhash"));
                if (lib == null) {
                    return null;
                }
                Xxhash x = new Xxhash(lib);
                return x.selfTestOk() ? x : null;
            } catch (Throwable e) {
                return null;
            }
        }

        private boolean selfTestOk() {
            byte[] sample = xxhSelfTestSample();
            ByteBuffer b = ByteBuffer.allocateDirect(sample.length).put(sample);
            String expected = SELF_TEST_XXH128;
            Pointer state = createState.invokePointer(new Object[0]);
            try {
                reset.invokeInt(new Object[] {state});
                update.update(state, Native.getDirectBufferPointer(b), sample.length);
                return hex((Hash128.ByValue) digest.invoke(Hash128.ByValue.class, new Object[] {state})).equals(expected);
            } finally {
                freeState.invokeInt(new Object[] {state});
            }
        }

        @Override
        public FileDigest digest(Path file, LongConsumer bytesRead) throws IOException {
            Pointer state = createState.invokePointer(new Object[0]);
            if (state == null) {
                throw new IOException("libxxhash could not allocate a hash state");
            }
            try {
                if (reset.invokeInt(new Object[] {state}) != 0) {
                    throw new IllegalStateException("XXH3_128bits_reset failed");
                }
                long total = read(file, (p, n) -> {
                    if (update.update(state, p, n) != 0) {
                        throw new IllegalStateException("XXH3_128bits_update failed");
                    }
                }, bytesRead);
                Hash128.ByValue h = (Hash128.ByValue) digest.invoke(Hash128.ByValue.class, new Object[] {state});
                return new FileDigest(hex(h), total);
            } finally {
                freeState.invokeInt(new Object[] {state});
            }
        }

        private static String hex(Hash128 h) {
            return HexFormat.of().toHexDigits(h.high64) + HexFormat.of().toHexDigits(h.low64);
        }

        @Override
        public String engine() {
            return "native libxxhash";
        }
    }

    /** XXH128_hash_t: { uint64 low64; uint64 high64; }, returned by value. */
    @Structure.FieldOrder({"low64", "high64"})
    public static class Hash128 extends Structure {
        public long low64;
        public long high64;

        public static final class ByValue extends Hash128 implements Structure.ByValue {}
    }
}
