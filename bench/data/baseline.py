#!/usr/bin/env python3
"""The script a user writes instead of `warden data check`: json.loads on every line, a field check,
exact-duplicate counting on the normalised conversation, and a chars/4 length estimate.
It does less than Warden (no contradictions, no line numbers kept) so the comparison flatters it."""
import json
import sys

def main():
    path, max_tokens = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2048
    seen = set()
    n = bad = missing = dups = over = 0
    with open(path, "rb") as f:
        for line in f:
            n += 1
            try:
                rec = json.loads(line)
            except ValueError:
                bad += 1
                continue
            msgs = rec.get("messages") if isinstance(rec, dict) else None
            if not isinstance(msgs, list) or not all(isinstance(m, dict) and "role" in m and "content" in m for m in msgs):
                missing += 1
                continue
            key = hash(tuple((m["role"], (m["content"] or "").strip()) for m in msgs))
            if key in seen:
                dups += 1
            else:
                seen.add(key)
            if sum(len(m["content"] or "") for m in msgs) // 4 + 4 * len(msgs) > max_tokens:
                over += 1
    print(f"lines {n} malformed {bad} bad_fields {missing} duplicates {dups} over_{max_tokens} {over}")

if __name__ == "__main__":
    main()
