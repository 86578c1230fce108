package dev.warden.check;

import dev.warden.UserError;
import dev.warden.data.DataCheckRequest;
import dev.warden.data.DataReport;
import dev.warden.data.Finding;

import java.nio.file.Path;
import java.util.Map;

/**
 * data: the training set, checked before the GPU is rented (dev.warden.data).
 * `- data: {file: data/train.jsonl, max_tokens: 2048, format: chat, tokenizer: tok/tokenizer.json, sample: 10000}`
 * or just `- data: data/train.jsonl`.
 */
final class DataFileCheck implements Check {
    private final Map<String, Object> args;

    private DataFileCheck(Map<String, Object> args) {
        this.args = args;
    }

    @SuppressWarnings("unchecked")
    static Check create(CheckArgs a) {
        Object raw = a.raw();
        Map<String, Object> args = raw instanceof Map<?, ?> m ? (Map<String, Object>) m
                : raw instanceof String s ? Map.of("file", s) : null;
        if (args == null) {
            throw a.error("", "needs a file", "write `- data: data/train.jsonl` or `- data: {file: data/train.jsonl, max_tokens: 2048}`");
        }
        try {
            DataCheckRequest.fromMap(args, Path.of("."));
        } catch (UserError e) {
            throw new UserError(a.where() + ": " + e.getMessage(), UserError.CONFIG);
        }
        return new DataFileCheck(args);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataReport r;
        try {
            r = DataCheckRequest.fromMap(args, ctx.workdir()).run();
        } catch (UserError e) {
            return CheckResult.fail(e.getMessage(), "fix the path in the `data` check, or create the file");
        }
        if (r.hasFail()) {
            return CheckResult.fail(r.summary(), r.fix());
        }
        if (r.status() == Finding.Status.WARN) {
            return CheckResult.warn(r.summary(), r.fix());
        }
        return CheckResult.pass(r.summary());
    }
}
