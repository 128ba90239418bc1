#!/usr/bin/env python3
"""Search: Scholia's own index against Pagefind, on the 10,000-commentary corpus.

    python3 bench/search.py --corpus /dev/shm/scholia-bench/large-scholia \\
        --baseline /path/to/scholia-without-search [--pagefind /path/to/pagefind]

Two figures decide between them (issue 6):

- build-time cost: Scholia's build with the index (this checkout's release binary) against
  the same build without it (--baseline: a binary built from before the search index), and
  Pagefind run over the built site, each with wall time, user+sys CPU, files and bytes added;
- bytes a reader downloads for one query, for a few typical queries, measured in headless
  Chromium by bench/search_bytes.mjs (needs tests/browser/node_modules: `npm ci` there).

Pagefind comes from npm (`npm install pagefind` somewhere, then pass
node_modules/.bin/pagefind) or PyPI (`pip install pagefind[extended]`). It indexes the same
pages as Scholia's index: commentaries and glossary entries.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUERIES = ["sanctions", "cybersecurity regulator", "proportionality doctrine", "WTO", "treaty ratification"]


def timed(cmd):
    """(wall s, cpu s, peak RSS MiB) of one run, via /usr/bin/time -v."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")

    def field(label):
        return re.search(rf"{re.escape(label)}: (.*)", r.stderr).group(1).strip()

    parts = [float(p) for p in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    return wall, cpu, rss


def tree(path):
    files = size = 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, n))
    return files, size


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/dev/shm/scholia-bench/large-scholia")
    ap.add_argument("--baseline", required=True, help="scholia binary without the search index")
    ap.add_argument("--scholia", default=os.path.join(ROOT, "target/release/scholia"))
    ap.add_argument("--pagefind", default="pagefind")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "scholia-search-bench"))
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("queries", nargs="*", default=QUERIES)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    site = os.path.join(a.work, "site")
    base_site = os.path.join(a.work, "site-baseline")

    rows = []
    for label, binary, out in [("scholia without index", a.baseline, base_site),
                               ("scholia with index", a.scholia, site)]:
        # Root-relative URLs, so that the site works from the local server of search_bytes.mjs.
        runs = [timed([binary, "build", "--root", a.corpus, "--out", out, "--base-url", "/"])
                for _ in range(a.runs)]
        best = min(runs, key=lambda r: r[0])
        rows.append((label, best, tree(out)))
    search_files = tree(os.path.join(site, "search"))

    pf_out = os.path.join(site, "pagefind")
    pf = timed([a.pagefind, "--site", site, "--output-path", pf_out,
                "--glob", "{commentaries,glossary}/**/*.html"])
    pf_files = tree(pf_out)

    print(f"corpus: {a.corpus}")
    print(f"{'build':28} {'wall s':>8} {'cpu s':>8} {'RSS MiB':>8} {'files':>8} {'MB':>8}")
    for label, (wall, cpu, rss), (files, size) in rows:
        print(f"{label:28} {wall:8.2f} {cpu:8.2f} {rss:8.0f} {files:8} {size / 1e6:8.1f}")
    (bw, bc, _), (sw, sc, _) = rows[0][1], rows[1][1]
    print(f"{'index cost (difference)':28} {sw - bw:8.2f} {sc - bc:8.2f} {'':8} "
          f"{search_files[0]:8} {search_files[1] / 1e6:8.1f}   (search/)")
    print(f"{'pagefind over the site':28} {pf[0]:8.2f} {pf[1]:8.2f} {pf[2]:8.0f} "
          f"{pf_files[0]:8} {pf_files[1] / 1e6:8.1f}   (pagefind/)")

    r = subprocess.run(["node", os.path.join(ROOT, "bench/search_bytes.mjs"), site] + a.queries,
                       capture_output=True, text=True, check=True)
    print(f"\n{'query':28} {'engine':9} {'requests':>8} {'KB':>8} {'ms':>6}  first result")
    for line in r.stdout.splitlines():
        m = json.loads(line)
        print(f"{m['query']:28} {m['engine']:9} {m['requests']:8} {m['bytes'] / 1024:8.1f} "
              f"{m['ms']:6}  {(m['first'] or '-')[:40]}")


if __name__ == "__main__":
    main()
