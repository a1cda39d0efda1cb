"""Writes Fixtures/Tokenizers/gpt2-regex-classes.txt: the class the Rust `tokenizers`
library's GPT-2 pre-tokenizer regex gives every Unicode scalar (0 other, 1 \\p{L}, 2 \\p{N},
3 \\s), as runs "start_hex class".

A scalar c is a letter when ByteLevel keeps "a" c "a" in one piece, a number when it keeps
"1" c "1" in one piece, "other" when it keeps "!" c "!" in one piece, else whitespace.
Surrogates (not scalars) are written as 0. Takes about 15 s.

Usage: pip install tokenizers==0.23.3; python3 Benchmarks/tokenizers/make_regex_classes.py
"""
import os

from tokenizers.pre_tokenizers import ByteLevel

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Fixtures", "Tokenizers",
                   "gpt2-regex-classes.txt")


def classify(pt, c):
    if 0xD800 <= c <= 0xDFFF:
        return 0
    ch = chr(c)
    if len(pt.pre_tokenize_str("a" + ch + "a")) == 1:
        return 1
    if len(pt.pre_tokenize_str("1" + ch + "1")) == 1:
        return 2
    if len(pt.pre_tokenize_str("!" + ch + "!")) == 1:
        return 0
    return 3


def main():
    pt = ByteLevel(add_prefix_space=False, use_regex=True)
    classes = [classify(pt, c) for c in range(0x110000)]
    with open(OUT, "w") as f:
        f.write("# start_hex class (0 other, 1 letter, 2 number, 3 whitespace); "
                "a run lasts until the next start\n")
        start = 0
        for i in range(1, len(classes) + 1):
            if i == len(classes) or classes[i] != classes[start]:
                f.write(f"{start:x} {classes[start]}\n")
                start = i


if __name__ == "__main__":
    main()
