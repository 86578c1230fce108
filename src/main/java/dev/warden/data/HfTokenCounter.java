package dev.warden.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import dev.warden.UserError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Real token counts from a local Hugging Face tokenizer.json, through DJL's binding of the Rust tokenizers.
 * Nothing is downloaded: {@code ai.djl.offline=true} keeps DJL on the CPU build bundled in its jar (on a GPU
 * host it would otherwise try to fetch a CUDA build), and the tokenizer is read from the given file only.
 */
final class HfTokenCounter implements TokenCounter {
    private final HuggingFaceTokenizer tokenizer;
    private final Path path;

    private HfTokenCounter(HuggingFaceTokenizer tokenizer, Path path) {
        this.tokenizer = tokenizer;
        this.path = path;
    }

    static TokenCounter load(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new UserError("tokenizer file " + path + " does not exist; pass the tokenizer.json from the model's directory");
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        try {
            // Without these DJL truncates every encoding at the model's max length (often 512) and pads.
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(path,
                    Map.of("truncation", "false", "padding", "false", "maxLength", "-1", "addSpecialTokens", "false"));
            return new HfTokenCounter(t, path);
        } catch (Exception | LinkageError e) {
            throw new UserError("cannot load tokenizer " + path + ": " + firstLine(e)
                    + "; pass a Hugging Face tokenizer.json, or drop --tokenizer to estimate lengths");
        }
    }

    @Override
    public boolean needsText() {
        return true;
    }

    /**
     * Straight to the native library: {@code tokenizer.encode} would also copy out types, words, masks, spans
     * and token strings, about ten JNI calls where the count needs two. Truncation and padding are settings of
     * the native tokenizer (switched off in {@link #load}), so the count is the same.
     */
    @Override
    public int count(String text) {
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        try {
            return TokenizersLibrary.LIB.getTokenIds(encoding).length;
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
    }

    @Override
    public int estimate(long utf8Bytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String describe() {
        return "counted with tokenizer " + path;
    }

    @Override
    public boolean estimated() {
        return false;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
