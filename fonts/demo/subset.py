#!/usr/bin/env python3
"""Makes the demo's Chinese font: Noto Sans CJK SC cut down to the characters the demo uses.

The link cards and PDFs of the demo's Chinese pages need a font with Han characters; a whole
CJK font is about 20 MB, so the demo carries a subset (a few hundred KB) named in
`fonts:` in scholia.yaml. Run this again after adding Chinese text to the demo (a character
the subset lacks is warning W0141 on a card). Needs Debian's fonts-noto-cjk and fonttools
(`apt-get install fonts-noto-cjk`, `pip install fonttools`).

    python3 fonts/demo/subset.py
"""
import pathlib
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = pathlib.Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
OUT = ROOT / "fonts/demo/ScholiaDemoHanSans-Regular.otf"
# The OFL reserves "Source" (the name of the design this font derives from): a modified
# version takes a name of its own.
FAMILY = "Scholia Demo Han Sans"


def used_characters():
    files = [ROOT / "scholia.yaml", *sorted((ROOT / "content").rglob("*.md"))]
    files += sorted((ROOT / "themes/default/i18n").glob("*.yaml"))
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    # Everything past Latin, Greek and Cyrillic that the built-in Charis SIL lacks: the CJK
    # blocks, CJK punctuation and full-width forms.
    return sorted({c for c in text if ord(c) >= 0x2E80})


def main():
    chars = used_characters()
    font = TTCollection(str(SOURCE)).fonts[2]  # Noto Sans CJK SC
    assert "SC" in font["name"].getDebugName(1), font["name"].getDebugName(1)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    names = font["name"]
    for rec in names.names:
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID == 4:
            rec.string = f"{FAMILY} Regular"
        elif rec.nameID == 6:
            rec.string = FAMILY.replace(" ", "") + "-Regular"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [FAMILY.replace(" ", "") + "-Regular"]
    font.save(str(OUT))
    missing = [c for c in chars if ord(c) not in font.getBestCmap()]
    print(f"{OUT.relative_to(ROOT)}: {len(chars)} characters, {OUT.stat().st_size:,} bytes")
    if missing:
        print("not in the source font:", "".join(missing), file=sys.stderr)


if __name__ == "__main__":
    main()
