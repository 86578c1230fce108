#!/usr/bin/python3
"""Regenerates tqdm-*.txt with Debian's python3-tqdm (4.64.1): real bytes, \r redraws included.

Run: /usr/bin/python3 src/test/resources/progress/make_tqdm_fixtures.py src/test/resources/progress
The timings in the output differ on every run; the parser tests only rely on counts, totals and postfixes.
"""
import io
import sys
import time

import tqdm

out_dir = sys.argv[1] if len(sys.argv) > 1 else "."


def capture(name, body):
    buf = io.StringIO()
    body(buf)
    with open(f"{out_dir}/{name}", "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def plain(buf):
    # The Trainer's bar: unicode blocks, total known; dict lines written through tqdm.write as HF does.
    bar = tqdm.tqdm(total=5088, file=buf, ascii=False, mininterval=0, miniters=1, ncols=100)
    time.sleep(0.2)
    bar.update(2615)
    time.sleep(0.1)
    bar.update(1)
    bar.write("{'loss': 0.0162, 'learning_rate': 4.9e-05, 'epoch': 0.51}", file=buf)
    bar.update(1)
    bar.close()


def ascii_bar(buf):
    bar = tqdm.tqdm(total=5088, file=buf, ascii=True, mininterval=0, miniters=1, ncols=80)
    time.sleep(0.2)
    bar.update(2616)
    bar.update(1)
    bar.close()


def unit_scale(buf):
    bar = tqdm.tqdm(total=5088, file=buf, ascii=False, unit_scale=True, mininterval=0, miniters=1, ncols=80)
    time.sleep(0.2)
    bar.update(2616)
    bar.close()


def no_total(buf):
    bar = tqdm.tqdm(file=buf, mininterval=0, miniters=1)
    time.sleep(0.2)
    bar.update(2615)
    bar.update(1)
    bar.close()


def no_total_scaled(buf):
    bar = tqdm.tqdm(file=buf, unit_scale=True, mininterval=0, miniters=1)
    time.sleep(0.2)
    bar.update(2616)
    bar.close()


def lightning_style(buf):
    # What Lightning's TQDMProgressBar prints: desc "Epoch N", metrics as the postfix.
    bar = tqdm.tqdm(total=1016, desc="Epoch 0", file=buf, ascii=False, mininterval=0, miniters=1, ncols=120)
    time.sleep(0.3)
    bar.update(932)
    bar.set_postfix({"loss": 0.223, "v_num": 77, "acc": 0.875}, refresh=True)
    val = tqdm.tqdm(total=157, desc="Validation DataLoader 0", file=buf, mininterval=0, miniters=1, ncols=120, leave=False, ascii=False)
    time.sleep(0.1)
    val.update(73)
    val.close()
    bar.update(1)
    bar.set_postfix({"loss": float("nan"), "v_num": 77}, refresh=True)
    bar.close()


capture("tqdm-plain.txt", plain)
capture("tqdm-ascii.txt", ascii_bar)
capture("tqdm-unit-scale.txt", unit_scale)
capture("tqdm-no-total.txt", no_total)
capture("tqdm-no-total-scaled.txt", no_total_scaled)
capture("tqdm-lightning-style.txt", lightning_style)
