package dev.warden.data;

import dev.warden.UserError;

import java.nio.file.Path;

/**
 * How to check a dataset.
 *
 * @param format         the record layout, or null to detect it from the first records
 * @param tokenizer      a Hugging Face tokenizer.json for real token counts, or null to estimate
 * @param maxTokens      the training sequence length; longer records get truncated
 * @param sampleLines    check only the first this many lines; 0 checks every line
 * @param maxOverShare   FAIL when more than this share of records is over {@code maxTokens}
 * @param minUniqueShare FAIL when fewer than this share of records is unique
 */
public record DataCheckOptions(DataFormat format, Path tokenizer, int maxTokens, long sampleLines,
                               double maxOverShare, double minUniqueShare) {

    public static final int DEFAULT_MAX_TOKENS = 2048;
    public static final double DEFAULT_MAX_OVER_SHARE = 0.05;
    public static final double DEFAULT_MIN_UNIQUE_SHARE = 0.5;

    public DataCheckOptions {
        if (format == DataFormat.UNKNOWN) {
            throw new UserError("data format `unknown` cannot be asked for; use chat, prompt_completion or text");
        }
        if (maxTokens < 1) {
            throw new UserError("max_tokens " + maxTokens + " must be at least 1; use your training sequence length, e.g. 2048");
        }
        if (sampleLines < 0) {
            throw new UserError("sample " + sampleLines + " must be positive; use e.g. 1000, or check every line");
        }
        if (!(maxOverShare >= 0 && maxOverShare <= 1)) {
            throw new UserError("max_over_share " + maxOverShare + " must be between 0 and 1 (0.05 means 5%)");
        }
        if (!(minUniqueShare >= 0 && minUniqueShare <= 1)) {
            throw new UserError("min_unique_share " + minUniqueShare + " must be between 0 and 1 (0.5 means 50%)");
        }
    }

    /** Every line, detected format, estimated lengths, 2048 tokens, FAIL above 5% over or below 50% unique. */
    public static DataCheckOptions defaults() {
        return new DataCheckOptions(null, null, DEFAULT_MAX_TOKENS, 0, DEFAULT_MAX_OVER_SHARE, DEFAULT_MIN_UNIQUE_SHARE);
    }

    public DataCheckOptions withFormat(DataFormat f) {
        return new DataCheckOptions(f, tokenizer, maxTokens, sampleLines, maxOverShare, minUniqueShare);
    }

    public DataCheckOptions withTokenizer(Path t) {
        return new DataCheckOptions(format, t, maxTokens, sampleLines, maxOverShare, minUniqueShare);
    }

    public DataCheckOptions withMaxTokens(int n) {
        return new DataCheckOptions(format, tokenizer, n, sampleLines, maxOverShare, minUniqueShare);
    }

    public DataCheckOptions withSampleLines(long n) {
        return new DataCheckOptions(format, tokenizer, maxTokens, n, maxOverShare, minUniqueShare);
    }

    public DataCheckOptions withMaxOverShare(double s) {
        return new DataCheckOptions(format, tokenizer, maxTokens, sampleLines, s, minUniqueShare);
    }

    public DataCheckOptions withMinUniqueShare(double s) {
        return new DataCheckOptions(format, tokenizer, maxTokens, sampleLines, maxOverShare, s);
    }
}
