package dev.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.UserError;
import dev.warden.data.DataCheck;
import dev.warden.data.DataCheckOptions;
import dev.warden.data.DataFormat;
import dev.warden.data.DataReport;
import dev.warden.data.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset checks before the GPU is rented.",
        subcommands = DataCommand.Check.class)
public final class DataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return UserError.USAGE;
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Checks JSON Lines training data (plain or gzip'd) before a GPU is rented for it: malformed lines, "
                    + "missing fields, token lengths, exact duplicates, diversity and contradictory answers.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:no check failed (warnings allowed)", "1:at least one check failed", "2:bad usage"})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "train.jsonl or train.jsonl.gz")
        List<Path> files = new ArrayList<>();

        @Option(names = "--format", paramLabel = "chat|prompt_completion|text",
                description = "record layout (default: detected from the first records)")
        String format;

        @Option(names = "--tokenizer", paramLabel = "tokenizer.json",
                description = "a Hugging Face tokenizer.json for real token counts (default: estimated from size)")
        Path tokenizer;

        @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "2048",
                description = "training sequence length (default: ${DEFAULT-VALUE})")
        int maxTokens;

        @Option(names = "--sample", paramLabel = "N", description = "read only the first N lines")
        Long sample;

        @Option(names = "--all", description = "read every line (the default)")
        boolean all;

        @Option(names = "--max-over-share", paramLabel = "SHARE",
                description = "FAIL when more records than this exceed --max-tokens: 0.05 or 5%% (default: 5%%)")
        String maxOverShare;

        @Option(names = "--min-unique-share", paramLabel = "SHARE",
                description = "FAIL when fewer records than this are unique: 0.5 or 50%% (default: 50%%)")
        String minUniqueShare;

        @Option(names = "--json", description = "print the report as JSON (an array when several files are given)")
        boolean json;

        @Override
        public Integer call() throws Exception {
            DataCheckOptions opts = options();
            List<DataReport> reports = new ArrayList<>();
            for (Path file : files) {
                reports.add(DataCheck.run(file, opts));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                Object shape = reports.size() == 1 ? reports.get(0).toMap() : reports.stream().map(DataReport::toMap).toList();
                out.println(mapper.writeValueAsString(shape));
            } else {
                for (DataReport r : reports) {
                    render(r, out);
                }
            }
            out.flush();
            return reports.stream().anyMatch(DataReport::hasFail) ? 1 : 0;
        }

        private DataCheckOptions options() {
            if (sample != null && all) {
                throw new UserError("--sample and --all exclude each other; give one");
            }
            if (sample != null && sample < 1) {
                throw new UserError("--sample " + sample + " must be at least 1 line; or use --all");
            }
            if (maxTokens < 1) {
                throw new UserError("--max-tokens " + maxTokens + " must be at least 1; use your training sequence length, e.g. 2048");
            }
            DataCheckOptions o = DataCheckOptions.defaults().withMaxTokens(maxTokens);
            if (format != null) {
                o = o.withFormat(DataFormat.parse(format));
            }
            if (tokenizer != null) {
                o = o.withTokenizer(tokenizer);
            }
            if (sample != null) {
                o = o.withSampleLines(sample);
            }
            if (maxOverShare != null) {
                o = o.withMaxOverShare(share("--max-over-share", maxOverShare));
            }
            if (minUniqueShare != null) {
                o = o.withMinUniqueShare(share("--min-unique-share", minUniqueShare));
            }
            return o;
        }

        private static double share(String option, String text) {
            double v;
            try {
                String t = text.trim();
                v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100 : Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new UserError(option + " `" + text + "` is not a share; write 0.05 or 5%");
            }
            if (!(v >= 0 && v <= 1)) {
                throw new UserError(option + " `" + text + "` must be between 0 and 1 (or 0% and 100%)");
            }
            return v;
        }

        private static void render(DataReport r, PrintWriter out) {
            out.printf("%s: %s (%s), %,d line%s, %,d record%s; token lengths %s%n", r.file(), r.format(), r.formatSource(),
                    r.lines(), r.lines() == 1 ? "" : "s", r.records(), r.records() == 1 ? "" : "s", r.tokens());
            for (Finding f : r.findings()) {
                out.printf("  %-4s  %-15s %s%n", f.status(), f.id(), f.message());
                if (f.status() != Finding.Status.PASS) {
                    for (String e : f.examples()) {
                        if (f.message().contains(e)) {
                            continue;
                        }
                        out.printf("  %-4s  %-15s   %s%n", "", "", e);
                    }
                    if (!f.fix().isEmpty()) {
                        out.printf("  %-4s  %-15s fix: %s%n", "", "", f.fix());
                    }
                }
            }
            out.println(r.summary());
            out.println();
        }
    }
}
