#!/usr/bin/env python3
"""What do citations cost a build?

    python3 bench/citations.py                                   # the shared 10,000 corpus
    python3 bench/citations.py --corpus DIR --limit 2000 --runs 5
    python3 bench/citations.py --per 15 --compare OLD_BINARY   # 15 a commentary, two binaries

Makes two copies of a corpus (default /dev/shm/scholia-bench/large-scholia, read only) and
appends the same closing paragraph to every commentary:

- plain: "Further reading (w12, p. 3). Also (w40; w7). Again (w12, p. 5)." as text;
- cited: the same as citations, `[@w12, p. 3]` …, with a 300-work content/sources.yaml
  (books, reports, newspaper articles), so every commentary gets three more notes, one of
  them a short form, and a works-cited list, and the site a /sources/ page.

Then it times `scholia build` on both (median wall time of --runs) and checks the cited
output: the number of commentaries whose notes hold a formatted citation.

--per 15 repeats the paragraph five times with other works (15 citations a commentary).
--compare OLD times a second binary too, alternating the two run by run (the machine is
shared: runs of both fall in the same minutes), and checks that both write the same files,
byte for byte.

Every build runs with --no-cache: the build cache in the site root would serve the runs
after the first.
"""

import argparse
import hashlib
import os
import random
import resource
import shutil
import statistics
import subprocess
import tempfile
import time

WORKS = 300


def sources_yaml(rng):
    out = []
    for i in range(WORKS):
        kind = i % 3
        year = 1990 + rng.randrange(35)
        if kind == 0:
            out.append(
                f"w{i}:\n  type: Book\n  title: The Politics of Agreement, Volume {i}\n"
                f"  author: Author{i}, Given\n  date: {year}\n  publisher: Example Press\n"
                f"  location: New York\n"
            )
        elif kind == 1:
            out.append(
                f"w{i}:\n  type: Report\n  title: Annual Review {i}\n"
                f"  author: {{ name: \"Commission {i}\" }}\n  date: {year}-0{1 + i % 9}\n"
                f"  serial-number: R/{i}\n"
            )
        else:
            out.append(
                f"w{i}:\n  type: Article\n  title: Talks Resume in Round {i}\n"
                f"  author: Writer{i}, Ann\n  date: {year}-0{1 + i % 9}-1{i % 9}\n"
                f"  parent:\n    type: Newspaper\n    title: The Daily Example\n"
            )
    return "\n".join(out)


def prepare(corpus, dest, cited, limit, seed, per=3):
    shutil.copytree(corpus, dest)
    rng = random.Random(seed)
    paths = []
    for root, _, files in os.walk(os.path.join(dest, "content", "commentaries")):
        paths += [os.path.join(root, f) for f in files if f.endswith(".md")]
    paths.sort()
    for p in paths[limit:]:
        os.remove(p)
    for p in paths[:limit]:
        paras = []
        for _ in range(per // 3):
            a, b, c = rng.sample(range(WORKS), 3)
            if cited:
                paras.append(
                    f"Further reading [@w{a}, p. 3]. Also [@w{b}; @w{c}]. Again [@w{a}, p. 5]."
                )
            else:
                paras.append(
                    f"Further reading (w{a}, p. 3). Also (w{b}; w{c}). Again (w{a}, p. 5)."
                )
        with open(p, "a", encoding="utf-8") as f:
            f.write("\n\n" + "\n\n".join(paras) + "\n")
    if cited:
        with open(os.path.join(dest, "content", "sources.yaml"), "w", encoding="utf-8") as f:
            f.write(sources_yaml(rng))
    return min(limit, len(paths))


def build_once(binary, root, out):
    """Wall and CPU time (user + system, all threads) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run([binary, "build", "--no-cache", "--out", out], cwd=root, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{r.stderr[:2000]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def tree_digest(out):
    """One hash of every file's path and bytes."""
    h = hashlib.sha256()
    for root, dirs, files in os.walk(out):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            h.update(os.path.relpath(p, out).encode() + b"\0")
            with open(p, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()


def compare(args, binary, old, tmp, n):
    """Old and new binary, alternating, on plain and cited copies."""
    times = {}
    outs = {}
    for _ in range(args.runs):
        for kind in ("plain", "cited"):
            for name, b in (("old", old), ("new", binary)):
                out = os.path.join(tmp, f"{kind}-{name}-out")
                times.setdefault((kind, name), []).append(
                    build_once(b, os.path.join(tmp, kind), out)
                )
                outs[(kind, name)] = out
    print(f"commentaries: {n}, citations: {args.per * n}, works in the bibliography: {WORKS}")
    print(f"median of {args.runs} alternating runs (wall s / cpu s):")
    for kind in ("plain", "cited"):
        row = []
        for name in ("old", "new"):
            ts = times[(kind, name)]
            w = statistics.median(t[0] for t in ts)
            c = statistics.median(t[1] for t in ts)
            row.append(f"{name} {w:.2f} / {c:.2f}")
        print(f"  {kind:>5}: " + ", ".join(row))
    for name in ("old", "new"):
        p = statistics.median(t[1] for t in times[("plain", name)])
        c = statistics.median(t[1] for t in times[("cited", name)])
        print(f"  {name}: cited/plain cpu {c / p:.2f}x")
    for kind in ("plain", "cited"):
        same = tree_digest(outs[(kind, "old")]) == tree_digest(outs[(kind, "new")])
        print(f"  {kind}: old and new output {'identical' if same else 'DIFFER'}")
        if not same:
            raise SystemExit("the two binaries wrote different files")


def time_build(binary, root, runs):
    """Median wall time and median CPU time (user + system, all threads) of `runs` builds:
    on a shared machine the CPU time is the steadier figure."""
    walls, cpus = [], []
    for _ in range(runs):
        out = os.path.join(root, "..", os.path.basename(root) + "-out")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        r = subprocess.run(
            [binary, "build", "--no-cache", "--out", out], cwd=root, capture_output=True, text=True
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if r.returncode != 0:
            raise SystemExit(f"build failed in {root}:\n{r.stderr[:2000]}")
    return statistics.median(walls), statistics.median(cpus), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="/dev/shm/scholia-bench/large-scholia")
    ap.add_argument("--limit", type=int, default=10**9, help="keep this many commentaries")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", default="target/release/scholia")
    ap.add_argument("--per", type=int, default=3, choices=[3, 15],
                    help="citations a commentary")
    ap.add_argument("--compare", metavar="OLD_BIN", help="also time this binary, alternating")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    with tempfile.TemporaryDirectory(prefix="scholia-cite-bench-") as tmp:
        plain = os.path.join(tmp, "plain")
        cited = os.path.join(tmp, "cited")
        n = prepare(args.corpus, plain, False, args.limit, 1, args.per)
        prepare(args.corpus, cited, True, args.limit, 1, args.per)
        if args.compare:
            compare(args, binary, os.path.abspath(args.compare), tmp, n)
            return
        w_plain, c_plain, _ = time_build(binary, plain, args.runs)
        w_cited, c_cited, out = time_build(binary, cited, args.runs)
        pages = cited_pages = 0
        for root, _, files in os.walk(os.path.join(out, "commentaries")):
            for f in files:
                html = open(os.path.join(root, f), encoding="utf-8").read()
                pages += 1
                cited_pages += 'class="works-cited"' in html
        print(f"commentaries: {n}, citations: {args.per * n}, works in the bibliography: {WORKS}")
        for name, p, c in (("wall", w_plain, w_cited), ("cpu", c_plain, c_cited)):
            print(f"{name:>4}: plain {p:.2f} s, cited {c:.2f} s, cost {c - p:+.2f} s "
                  f"({(c / p - 1) * 100:+.0f}%), {(c - p) / max(pages, 1) * 1000:.2f} ms "
                  f"per commentary page (median of {args.runs})")
        print(f"commentary pages: {pages}, with a works-cited list: {cited_pages}")
        if cited_pages != pages:
            raise SystemExit("some commentaries lack their citations")


if __name__ == "__main__":
    main()
