#!/usr/bin/env python3
"""Writes a chat-format JSONL file of about SIZE_MB megabytes for the data-check benchmark.

Records look like real SFT data: a system prompt, one or more user/assistant turns, text made of
English-like words with some punctuation, escapes and non-ASCII. About 3% of records are exact
copies of an earlier one, and about 1% repeat an earlier prompt with a different answer.
Seeded, so two runs write the same bytes.
"""
import json
import random
import sys

def main():
    out_path, size_mb = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(42)
    words = ["the", "model", "gradient", "loss", "batch", "token", "checkpoint", "GPU", "memory",
             "learning", "rate", "schedule", "warmup", "attention", "layer", "norm", "dataset",
             "training", "step", "epoch", "optimizer", "Adam", "weight", "decay", "value", "is",
             "a", "of", "to", "and", "in", "for", "with", "on", "that", "this", "we", "you",
             "internationalization", "configuration", "café", "naïve", "数据", "模型", "ответ",
             "x=1;", "print(\"hi\")", "\\path\\to", "tab\there", "line\nbreak", "1024", "3.14"]
    systems = ["You are a helpful assistant.", "You are a concise expert on GPU training.",
               "Answer in one paragraph.", "You are a careful code reviewer."]

    def sentence(n):
        return " ".join(rnd.choice(words) for _ in range(n)).capitalize() + rnd.choice([".", "?", "!"])

    def text(sentences, width):
        return " ".join(sentence(rnd.randint(4, width)) for _ in range(sentences))

    target = size_mb * 1_000_000
    written = 0
    earlier = []          # a bounded pool of earlier records for duplicates and contradictions
    n = 0
    buf = []
    with open(out_path, "w", encoding="utf-8") as f:
        while written < target:
            r = rnd.random()
            if earlier and r < 0.03:
                line = rnd.choice(earlier)[0]
            elif earlier and r < 0.04:
                msgs = json.loads(rnd.choice(earlier)[0])["messages"]
                msgs[-1] = {"role": "assistant", "content": text(rnd.randint(1, 6), 24)}
                line = json.dumps({"messages": msgs}, ensure_ascii=rnd.random() < 0.5)
            else:
                msgs = [{"role": "system", "content": rnd.choice(systems)}]
                for _ in range(rnd.choice([1, 1, 1, 2, 3])):
                    msgs.append({"role": "user", "content": f"Question {n}: " + text(rnd.randint(1, 4), 16)})
                    msgs.append({"role": "assistant", "content": text(rnd.randint(1, 12), 24)})
                line = json.dumps({"messages": msgs}, ensure_ascii=rnd.random() < 0.5)
                if len(earlier) < 5000:
                    earlier.append((line,))
                elif rnd.random() < 0.01:
                    earlier[rnd.randrange(5000)] = (line,)
            n += 1
            buf.append(line)
            written += len(line.encode("utf-8")) + 1
            if len(buf) >= 4096:
                f.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            f.write("\n".join(buf) + "\n")
    print(f"{out_path}: {n} records, {written / 1e6:.0f} MB", file=sys.stderr)

if __name__ == "__main__":
    main()
