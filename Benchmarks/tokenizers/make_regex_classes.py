from tokenizers.pre_tokenizers import ByteLevel
pt = ByteLevel(add_prefix_space=False, use_regex=True)
out = bytearray()
for c in range(0x110000):
    if 0xD800 <= c <= 0xDFFF:
        out.append(0); continue
    ch = chr(c)
    if len(pt.pre_tokenize_str("a" + ch + "a")) == 1: out.append(1)
    elif len(pt.pre_tokenize_str("1" + ch + "1")) == 1: out.append(2)
    elif len(pt.pre_tokenize_str("!" + ch + "!")) == 1: out.append(0)
    else: out.append(3)
open("/tmp/fuzz/classes_rust.bin", "wb").write(out)
