#!/usr/bin/env python3
"""What do citations cost a build?

    python3 bench/citations.py                                   # the shared 10,000 corpus
    python3 bench/citations.py --corpus DIR --limit 2000 --runs 5

Makes two copies of a corpus (default /dev/shm/scholia-bench/large-scholia, read only) and
appends the same closing paragraph to every commentary:

- plain: "Further reading (w12, p. 3). Also (w40; w7). Again (w12, p. 5)." as text;
- cited: the same as citations, `[@w12, p. 3]` …, with a 300-work content/sources.yaml
  (books, reports, newspaper articles), so every commentary gets three more notes, one of
  them a short form, and a works-cited list, and the site a /sources/ page.

Then it times `scholia build` on both (median wall time of --runs) and checks the cited
output: the number of commentaries whose notes hold a formatted citation.
"""

import argparse
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


def prepare(corpus, dest, cited, limit, seed):
    shutil.copytree(corpus, dest)
    rng = random.Random(seed)
    paths = []
    for root, _, files in os.walk(os.path.join(dest, "content", "commentaries")):
        paths += [os.path.join(root, f) for f in files if f.endswith(".md")]
    paths.sort()
    for p in paths[limit:]:
        os.remove(p)
    for p in paths[:limit]:
        a, b, c = rng.sample(range(WORKS), 3)
        if cited:
            para = f"Further reading [@w{a}, p. 3]. Also [@w{b}; @w{c}]. Again [@w{a}, p. 5]."
        else:
            para = f"Further reading (w{a}, p. 3). Also (w{b}; w{c}). Again (w{a}, p. 5)."
        with open(p, "a", encoding="utf-8") as f:
            f.write("\n\n" + para + "\n")
    if cited:
        with open(os.path.join(dest, "content", "sources.yaml"), "w", encoding="utf-8") as f:
            f.write(sources_yaml(rng))
    return min(limit, len(paths))


def time_build(binary, root, runs):
    """Median wall time and median CPU time (user + system, all threads) of `runs` builds:
    on a shared machine the CPU time is the steadier figure."""
    walls, cpus = [], []
    for _ in range(runs):
        out = os.path.join(root, "..", os.path.basename(root) + "-out")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        r = subprocess.run(
            [binary, "build", "--out", out], cwd=root, capture_output=True, text=True
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
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    with tempfile.TemporaryDirectory(prefix="scholia-cite-bench-") as tmp:
        plain = os.path.join(tmp, "plain")
        cited = os.path.join(tmp, "cited")
        n = prepare(args.corpus, plain, False, args.limit, 1)
        prepare(args.corpus, cited, True, args.limit, 1)
        w_plain, c_plain, _ = time_build(binary, plain, args.runs)
        w_cited, c_cited, out = time_build(binary, cited, args.runs)
        pages = cited_pages = 0
        for root, _, files in os.walk(os.path.join(out, "commentaries")):
            for f in files:
                html = open(os.path.join(root, f), encoding="utf-8").read()
                pages += 1
                cited_pages += 'class="works-cited"' in html
        print(f"commentaries: {n}, citations: {3 * n}, works in the bibliography: {WORKS}")
        for name, p, c in (("wall", w_plain, w_cited), ("cpu", c_plain, c_cited)):
            print(f"{name:>4}: plain {p:.2f} s, cited {c:.2f} s, cost {c - p:+.2f} s "
                  f"({(c / p - 1) * 100:+.0f}%), {(c - p) / max(pages, 1) * 1000:.2f} ms "
                  f"per commentary page (median of {args.runs})")
        print(f"commentary pages: {pages}, with a works-cited list: {cited_pages}")
        if cited_pages != pages:
            raise SystemExit("some commentaries lack their citations")


if __name__ == "__main__":
    main()
