#!/usr/bin/env python3
"""Does a build's peak memory grow with the number of PDFs it typesets?

    python3 bench/pdf_memory.py                       # 250 and 1,000 commentaries
    python3 bench/pdf_memory.py --sizes 100 400 --bin /path/to/scholia

Issue 19: each PDF's layout used to stay alive until the whole commentaries stage was done
(Typst's waits ran the next commentaries inside the waiting one), so the peak grew by about
4 MB a PDF: 4 GB for 1,000. This builds generated corpora (../shared/bench/gen_corpus.py,
seed 1, under --work on the RAM disk) cold, with `pdf.enabled` and without, timed with
/usr/bin/time -v, and prints peak RSS, CPU (user+sys) and wall time for each. Every build
with PDFs must write one PDF per commentary that is not a draft.

The figure that matters is the slope: how much the peak grows per PDF from the smallest to
the largest corpus, beyond the growth without PDFs. Typesetting holds a bounded amount
(a document per thread, and Typst's memoized results of the last few documents), so the
slope should be near zero; the script exits 1 when it is above --max-mb-per-pdf.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")


def corpus(work, n):
    root = os.path.join(work, f"c{n}")
    if not os.path.isdir(os.path.join(root, "content")):
        subprocess.run(
            [sys.executable, GEN, "--out", root, "--commentaries", str(n), "--bodies", "150",
             "--treaties", "100", "--seed", "1", "--force"],
            check=True, stdout=subprocess.DEVNULL)
    return root


def set_pdf(root, enabled):
    path = os.path.join(root, "scholia.yaml")
    text = open(path).read()
    text = re.sub(r"\npdf:\n  enabled: \w+\n", "\n", text)
    with open(path, "w") as f:
        f.write(text.rstrip("\n") + f"\npdf:\n  enabled: {'true' if enabled else 'false'}\n")


def build(binary, root, out):
    # Cold: a previous output would give its PDFs back by key instead of typesetting them.
    shutil.rmtree(out, ignore_errors=True)
    r = subprocess.run(["/usr/bin/time", "-v", binary, "build", "--root", root, "--out", out],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"build of {root} failed:\n{r.stdout}{r.stderr}")

    def field(name):
        return float(re.search(re.escape(name) + r": ([\d.:]+)", r.stderr).group(1).split(":")[-1])

    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", r.stderr).group(1)
    secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
    pdfs = sum(1 for _, _, files in os.walk(out) for f in files if f.endswith(".pdf"))
    return {
        "rss_mb": field("Maximum resident set size (kbytes)") / 1024,
        "cpu": field("User time (seconds)") + field("System time (seconds)"),
        "wall": secs,
        "pdfs": pdfs,
    }


def drafts(root):
    n = 0
    for dirpath, _, files in os.walk(os.path.join(root, "content", "commentaries")):
        for f in files:
            if f.endswith(".md") and re.search(r"^draft: true$", open(os.path.join(dirpath, f)).read(), re.M):
                n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[250, 1000])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "scholia"))
    ap.add_argument("--work", default="/dev/shm/scholia-pdf-memory")
    ap.add_argument("--max-mb-per-pdf", type=float, default=0.25)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    out = os.path.join(a.work, "site")
    rows = []
    print(f"{'commentaries':>12} {'PDFs':>5} {'peak MB':>8} {'CPU s':>7} {'wall s':>7}"
          f" {'peak MB, no PDFs':>17} {'CPU s, no PDFs':>15}")
    for n in sorted(a.sizes):
        root = corpus(a.work, n)
        set_pdf(root, False)
        without = build(a.bin, root, out)
        set_pdf(root, True)
        with_ = build(a.bin, root, out)
        want = n - drafts(root)
        if with_["pdfs"] != want or without["pdfs"] != 0:
            sys.exit(f"{n} commentaries: {with_['pdfs']} PDFs with pdf.enabled (want {want}),"
                     f" {without['pdfs']} without (want 0)")
        rows.append((with_, without))
        print(f"{n:>12} {with_['pdfs']:>5} {with_['rss_mb']:>8.0f} {with_['cpu']:>7.1f}"
              f" {with_['wall']:>7.1f} {without['rss_mb']:>17.0f} {without['cpu']:>15.1f}")
    shutil.rmtree(out, ignore_errors=True)
    if len(rows) < 2:
        return
    (w0, o0), (w1, o1) = rows[0], rows[-1]
    slope = ((w1["rss_mb"] - o1["rss_mb"]) - (w0["rss_mb"] - o0["rss_mb"])) / (w1["pdfs"] - w0["pdfs"])
    print(f"peak memory per PDF, beyond the build without PDFs: {slope:.3f} MB"
          f" (limit {a.max_mb_per_pdf} MB; issue 19 was ~4 MB)")
    print("CPU is user+sys; the machine may be shared, so wall time is only indicative.")
    if slope > a.max_mb_per_pdf:
        sys.exit(1)


if __name__ == "__main__":
    main()
