"""Time `typeset()` of examples/zine with the default fallback chain and with none (best of 3
runs, seconds): what setting each word in the first face that has its glyphs costs.

Run from the repository root after installing: `python benchmarks/fallback.py`.
"""

import dataclasses
import time
from pathlib import Path
from booklet.build import load_booklet
from booklet.images import prepare_images
from booklet.typeset.document import typeset

booklet, layout = load_booklet(Path("examples/zine"))
images, _ = prepare_images(booklet, layout)
typeset(booklet, layout, images)  # warm up: fonts registered, hyphenation patterns loaded
for name, chain in (("default chain", layout.fallback_fonts), ("no fallback", ())):
    lay = dataclasses.replace(layout, fallback_fonts=chain)
    times = []
    for _ in range(3):
        start = time.perf_counter(); typeset(booklet, lay, images); times.append(time.perf_counter() - start)
    print(f"{name:14} {min(times):.3f} s")
