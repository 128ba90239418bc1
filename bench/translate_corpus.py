#!/usr/bin/env python3
"""Copies a benchmark site and adds a Chinese version of every commentary.

    python3 bench/translate_corpus.py /dev/shm/base/large-scholia /dev/shm/lang-10k

Each `NAME.md` under content/commentaries/ gets a copy `NAME.zh.md` (same front matter and
text: the build's work per page is what is measured, not the language), and scholia.yaml
gains `languages: {zh: {}}`. The copy is a site of two languages with twice the commentary
pages of the original, to compare against the original's one-language build.
"""
import os
import shutil
import sys

src, dst = sys.argv[1], sys.argv[2]
if os.path.exists(dst):
    shutil.rmtree(dst)
shutil.copytree(src, dst, ignore=shutil.ignore_patterns("site", ".site*", "public"))
config = os.path.join(dst, "scholia.yaml")
with open(config, encoding="utf-8") as f:
    text = f.read()
with open(config, "w", encoding="utf-8") as f:
    f.write(text.rstrip("\n") + "\nlanguages: {zh: {}}\n")
n = 0
for folder, _, files in os.walk(os.path.join(dst, "content", "commentaries")):
    for name in files:
        if name.endswith(".md") and not name.endswith(".zh.md"):
            stem = name[:-3]
            shutil.copyfile(os.path.join(folder, name), os.path.join(folder, stem + ".zh.md"))
            n += 1
print(f"{dst}: {n} commentaries translated")
