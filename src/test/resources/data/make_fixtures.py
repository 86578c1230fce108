#!/usr/bin/env python3
"""Writes the data-check fixtures in this directory. Run it from here; the output is committed.
Each file shows one finding; the comments give the intent line by line."""
import json

def w(name, lines, nl="\n", end=True):
    data = nl.join(lines) + (nl if end else "")
    open(name, "w", encoding="utf-8", newline="").write(data)

def chat(u, a, sys_=None):
    m = ([{"role": "system", "content": sys_}] if sys_ else []) + [{"role": "user", "content": u}, {"role": "assistant", "content": a}]
    return json.dumps({"messages": m})

# clean chat: 6 distinct conversations
w("chat_ok.jsonl", [chat(f"What is {i} + {i}?", f"{i} + {i} = {2*i}.", "You are a calculator.") for i in range(1, 7)])

# malformed lines between good ones; the last line is cut off mid-record
w("malformed.jsonl", [
    chat("hi", "hello"),                                   # 1 ok
    '{"messages": [{"role": "user", "content": "a"},]}',   # 2 trailing comma
    "{messages: []}",                                      # 3 unquoted key
    '["not", "an", "object"]',                             # 4 array
    chat("x", "y") + ' {"extra": 1}',                      # 5 two values
    chat("second", "fine"),                                # 6 ok
    '{"messages": [{"role": "user", "content": "cut off mid-wri',  # 7 truncated, no newline
], end=False)

# chat records with missing or mistyped fields
w("fields_chat.jsonl", [
    chat("ok", "fine"),                                                            # 1 ok
    json.dumps({"messages": [{"role": "user"}, {"role": "assistant", "content": "x"}]}),   # 2 no content
    json.dumps({"messages": [{"role": 1, "content": "x"}]}),                        # 3 role number
    json.dumps({"messages": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "yo"}]}),  # 4 sharegpt
    json.dumps({"messages": "hello"}),                                              # 5 string
    json.dumps({"prompt": "p", "completion": "c"}),                                 # 6 no messages
    json.dumps({"messages": []}),                                                   # 7 empty list
    json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": None, "tool_calls": [{"id": "1"}]}, {"role": "tool", "content": "42"}, {"role": "assistant", "content": "It is 42."}]}),  # 8 ok: tool call
    json.dumps({"messages": [{"role": "user", "content": [{"type": "text", "text": "describe"}, {"type": "image", "url": "x.png"}]}, {"role": "assistant", "content": "a cat"}]}),  # 9 ok: parts
])

# prompt/completion: one contradiction, one empty completion, one conversational record
w("prompt_completion.jsonl", [
    json.dumps({"prompt": "Capital of France?", "completion": "Paris."}),             # 1
    json.dumps({"prompt": "Capital of Spain?", "completion": "Madrid."}),             # 2
    json.dumps({"prompt": "Capital of France?", "completion": "Lyon."}),              # 3 contradicts 1
    json.dumps({"prompt": "Say nothing", "completion": "   "}),                       # 4 empty
    json.dumps({"prompt": [{"role": "user", "content": "Hi"}], "completion": [{"role": "assistant", "content": "Hello!"}]}),  # 5 conversational
    json.dumps({"prompt": "Capital of Italy?", "completion": 7}),                    # 6 mistyped
])

# text records: 5 fine, one empty, one without "text"
w("text.jsonl", [json.dumps({"text": f"Document number {i} about training."}) for i in range(5)]
  + [json.dumps({"text": ""}), json.dumps({"content": "no text key"})])

# duplicates: same content written differently (key order, spacing, surrounding whitespace, escapes, ids)
w("duplicates.jsonl", [
    json.dumps({"id": 1, "messages": [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi there"}]}),   # 1
    json.dumps({"messages": [{"role": "user", "content": "Other"}, {"role": "assistant", "content": "Thing"}]}),               # 2
    '{"messages":[{"content":"Hello\\n","role":"user"},{"content":"  Hi there","role":"assistant"}],"id":2}',               # 3 = 1
    '{"messages": [{"role": "user", "content": "\\u0048ello"}, {"role": "assistant", "content": "Hi there"}], "id": 3}',     # 4 = 1
    json.dumps({"messages": [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "Hi there"}]}),            # 5 case differs: not a duplicate
    json.dumps({"messages": [{"role": "user", "content": "Other"}, {"role": "assistant", "content": "Thing"}]}),               # 6 = 2
])

# low diversity: the same example 8 times, 2 others
w("low_diversity.jsonl", [chat("Tell me a joke", "No.")] * 8 + [chat("a", "b"), chat("c", "d")])

# chat contradictions: same conversation before the last assistant turn, different answers
w("contradictions.jsonl", [
    chat("Is the sky blue?", "Yes.", "Be brief."),        # 1
    chat("Is grass green?", "Yes."),                      # 2
    chat("Is the sky blue?", "No.", "Be brief."),         # 3 contradicts 1
    chat("Is the sky blue?", "Yes.", "Be terse."),        # 4 other system prompt: a different prompt
    chat("Is grass green?", "Yes."),                      # 5 duplicate of 2, not a contradiction
    chat("Is the sky blue?", "Sometimes.", "Be brief."),  # 6 contradicts 1 again (same prompt)
])

# lengths: with --max-tokens 10, lines 2 and 4 are over (estimate: bytes/4 + 4 per message)
w("lengths.jsonl", [
    chat("short", "ok"),
    chat("a much longer question " * 4, "and an answer that goes on and on " * 3),
    chat("tiny", "yes"),
    chat("x" * 200, "y"),
])

# BOM on line 1, CRLF endings, one blank line
w("bom_crlf.jsonl", ["\ufeff" + chat("one", "1"), chat("two", "2"), "", chat("three", "3")], nl="\r\n")

# a JSON array and pretty-printed JSON
open("array.json", "w").write(json.dumps([{"text": "a"}, {"text": "b"}], indent=2) + "\n")
open("pretty.json", "w").write(json.dumps({"text": "a"}, indent=2) + "\n" + json.dumps({"text": "b"}, indent=2) + "\n")

# unknown layout (Alpaca)
w("alpaca.jsonl", [json.dumps({"instruction": "Add", "input": "1 2", "output": "3"}), json.dumps({"instruction": "Sub", "input": "3 1", "output": "2"})])

# only blank lines; nothing at all
open("blank_only.jsonl", "w").write("\n  \n\n")
open("empty.jsonl", "w").write("")

# invalid UTF-8 inside a string on line 2; lines 1 and 3 fine
with open("invalid_utf8.jsonl", "wb") as f:
    f.write(chat("ok", "fine").encode() + b"\n")
    f.write(b'{"messages": [{"role": "user", "content": "bad \xff\xfe byte"}, {"role": "assistant", "content": "x"}]}\n')
    f.write(chat("also ok", "fine").encode() + b"\n")

# binary: every byte value, NUL first
with open("binary.bin", "wb") as f:
    f.write(bytes(range(256)) * 4)

# Parquet magic (header and footer only: enough for the sniff)
with open("tiny.parquet", "wb") as f:
    f.write(b"PAR1" + b"\x15\x04\x15" + b"\x00" * 32 + b"PAR1")
