#!/usr/bin/env python3
"""Bytes a reader downloads for one search query in one language of a built site.

    python3 bench/lang_search_bytes.py SITE_DIR PREFIX QUERY...

PREFIX is the language's folder (`zh/`, or `` for the default language). For each query the
script fetches what scholia.js fetches, from the files on disk: the script itself, the
language's `search/index.json`, one shard per distinct query term (terms cut as
`scholia.js` cuts them: words, and pairs of characters in scripts written without spaces),
and the documents of the first 10 results. Files are counted as stored (gzipped), as a plain
static host serves them. Prints one JSON line per query.
"""
import glob
import gzip
import json
import math
import os
import re
import sys
import unicodedata

UNSPACED = re.compile(
    "[\u0e00-\u0e7f\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005-\u3007\U00020000-\U0002fa1f]"
)
STOP = set(
    "a an and are as at be but by for from had has have he her his in into is it its of on or "
    "that the their them there these they this to was were which with".split()
)
EXCLUDED = "ÆæÐðØøÞþßĐđĦħıĲĳĸĿŀŁłŊŋŒœŦŧ"


def norm(word):
    t = ""
    for ch in word:
        c = ord(ch)
        if c < 128:
            t += ch.lower()
        elif 0xC0 <= c <= 0x17F and ch not in EXCLUDED:
            f = "".join(x for x in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(x))
            t += f.lower() if re.fullmatch("[A-Za-z]", f) else ch.lower()
        else:
            t += ch.lower()
    if len(t) > 4 and t.endswith("ies"):
        t = t[:-3] + "y"
    elif len(t) > 3 and t.endswith("s") and not re.search("(ss|us|is)$", t):
        t = t[:-1]
    short = len(t) < 2 and not t.isdigit()
    return None if short or t in STOP else t


def segments(word):
    if not UNSPACED.search(word):
        return [word]
    out, run = [], ""
    for i, c in enumerate(word):
        if UNSPACED.match(c):
            if run:
                out.append(run)
                run = ""
            nxt = word[i + 1] if i + 1 < len(word) else ""
            prev = word[i - 1] if i > 0 else ""
            if nxt and UNSPACED.match(nxt):
                out.append(c + nxt)
            elif not prev or not UNSPACED.match(prev):
                out.append(c)
        else:
            run += c
    if run:
        out.append(run)
    return out


def terms(q):
    out = []
    for w in re.findall(r"[^\W_]+", q):
        for s in segments(w):
            t = norm(s)
            if t and t not in out:
                out.append(t)
    return out


def main():
    site, prefix, queries = sys.argv[1], sys.argv[2], sys.argv[3:]
    base = os.path.join(site, prefix, "search")
    manifest_path = os.path.join(base, "index.json")
    manifest = json.load(open(manifest_path, encoding="utf-8"))
    script = sorted(glob.glob(os.path.join(site, "scholia.*.js")) or glob.glob(os.path.join(site, "scholia.js")))[0]
    for q in queries:
        ts = terms(q)
        files = {script, manifest_path}
        score, hits = {}, {}
        for t in ts:
            firsts = manifest["shards"]
            n = max((i for i, f in enumerate(firsts) if f <= t), default=-1)
            if n < 0:
                continue
            shard_path = os.path.join(base, "t", f"{n}.json.gz")
            files.add(shard_path)
            shard = json.loads(gzip.open(shard_path).read())
            lst = shard.get(t, [])
            df = len(lst) // 2
            if not df:
                continue
            idf = math.log(1 + manifest["docs"] / df)
            doc = 0
            for i in range(0, len(lst), 2):
                doc += lst[i]
                score[doc] = score.get(doc, 0) + lst[i + 1] * idf
                hits[doc] = hits.get(doc, 0) + 1
        ids = sorted(score, key=lambda d: (-hits[d], -score[d], d))
        full = [d for d in ids if hits[d] == len(ts)]
        shown = (full or ids)[:10]
        for d in shown:
            files.add(os.path.join(base, "d", f"{d}.json.gz"))
        total = sum(os.path.getsize(f) for f in files)
        index = total - os.path.getsize(script)
        print(json.dumps({"query": q, "language": prefix or "default", "terms": ts, "results": len(full), "files": len(files), "bytes": total, "without_script": index}, ensure_ascii=False))


main()
