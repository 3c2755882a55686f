"""The three sources as lists of items, prepared (rendered, damaged, extracted, assembled) into a cache folder.

Preparing is deterministic and done once: an item whose image is already in the
cache is not made again.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from PIL import Image

from recbench import damage, ehri, typed, vyl
from recbench.items import Item, part_of, sample

DATA = Path(__file__).resolve().parent.parent / "bench_data"
TEXTS = DATA / "recognition_texts"
KOMI_FOLD = DATA / "komi_fold.tsv"

# default sizes (CPU is scarce): 3 fonts x 3 texts x 10 profiles; 12 EHRI pages per language; 15 + 150 Komi
AUGRAPHY_FONTS = ("nimbus", "freemono", "liberation")
AUGRAPHY_TEXTS = ("protokol", "telegramma", "doklad")
EHRI_PAGES_PER_LANGUAGE = 12
VYL_PAGES = 15
VYL_LINES = 150
# bump when typed.py or damage.py change what they draw: the cache folder follows it
AUGRAPHY_GENERATION = "v1"


def _seed(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")


def augraphy_items(
    cache: Path, fonts=AUGRAPHY_FONTS, texts=AUGRAPHY_TEXTS, part: str | None = None, reseeds: int = 0,
    profiles: tuple[str, ...] | None = None,
) -> list[Item]:
    """The typed pages under each damage profile (``profiles``: these only; None: all).

    ``reseeds``: each damaged page also drawn again with that many other seeds of its profile's
    damage (items ``NAME~sK``, K = 1..reseeds, in the same group and so the same part), for more
    development signal on a profile whose damage varies much from draw to draw. Only for the
    development part: the test part is the fixed set it was when the split was written."""
    if reseeds and part != "dev":
        raise ValueError("reseeded augraphy pages are made for the development part only")
    folder = cache / f"augraphy-{AUGRAPHY_GENERATION}"
    folder.mkdir(parents=True, exist_ok=True)
    all_texts = typed.read_texts(TEXTS)
    items = []
    for text_name in texts:
        for font in fonts:
            group = f"augraphy/{text_name}-{font}"
            if part and part_of(group) != part:
                continue
            page = None
            for profile in damage.PROFILES:
                if profiles is not None and profile not in profiles:
                    continue
                base = f"{group}/{profile}"
                draws = 1 + (reseeds if profile != "clean" else 0)  # (the undamaged page draws nothing)
                for draw in range(draws):
                    suffix = f"~s{draw}" if draw else ""
                    name = base + suffix
                    image_path = folder / f"{text_name}-{font}-{profile}{suffix}.png"
                    truth_path = image_path.with_suffix(".gt.txt")
                    if not (image_path.is_file() and truth_path.is_file()):
                        if page is None:
                            page = typed.type_page(all_texts[text_name], font, _seed(group))
                        image, dpi = damage.damage(page.image, profile, _seed(name))
                        _save(image, dpi, image_path)
                        truth_path.write_text(page.truth, encoding="utf-8")
                    items.append(Item(name, "augraphy", group, profile, "rus", image_path,
                                      truth_path.read_text(encoding="utf-8"), "page"))  # fmt: skip
    return items


def _save(image, dpi: int, path: Path) -> None:
    import cv2

    rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB) if image.ndim == 3 else image
    tmp = path.with_suffix(".tmp.png")
    Image.fromarray(rgb).save(tmp, dpi=(dpi, dpi))
    tmp.replace(path)


def ehri_items(source: Path, cache: Path, per_language: int | None = EHRI_PAGES_PER_LANGUAGE) -> list[Item]:
    data = ehri.data_folder(source, cache)
    found = ehri.pages(data)
    if not found:
        print(f"ehri: no pages with ALTO found under {data}", file=sys.stderr)
    truth_folder = cache / "ehri-truth"
    truth_folder.mkdir(parents=True, exist_ok=True)
    items = []
    for folder, language in sorted(ehri.LANGUAGES.items()):
        stems = {stem: (image, xml) for f, stem, image, xml in found if f == folder}
        for stem in sample(list(stems), per_language, "ehri"):
            image, xml = stems[stem]
            truth = ehri.alto_text(xml.read_bytes())
            (truth_folder / f"{stem}.gt.txt").write_text(truth, encoding="utf-8")
            group = f"ehri/{ehri.document_of(stem)}"
            items.append(Item(f"ehri/{folder}/{stem}", "ehri", group, folder, language, image, truth, "page"))
    return items


def vyl_items(
    source: Path, cache: Path, pages: int | None = VYL_PAGES, lines: int | None = VYL_LINES,
    resolutions: tuple[int, ...] = (),
) -> list[Item]:
    """The stacked pages, the line images, and (source ``vyl-lines-rescaled``, profile ``NNNdpi``)
    the same lines resampled from their scan's 400 dpi to each of ``resolutions``."""
    folder = vyl.line_folder(source, cache)
    table = vyl.load_fold(KOMI_FOLD)
    runs = [r for r in vyl.runs(vyl.scanned_lines(folder)) if len(r) >= vyl.MIN_LINES_PER_PAGE]
    by_name = {vyl.run_name(r): r for r in runs}
    out = cache / "vyl-pages"
    out.mkdir(parents=True, exist_ok=True)
    items = []
    for name in sample(list(by_name), pages, "vyl-pages"):
        run = by_name[name]
        image_path = out / f"{name}.png"
        if not image_path.is_file():
            tmp = image_path.with_suffix(".tmp.png")
            vyl.assemble(run).save(tmp, dpi=(400, 400))
            tmp.replace(image_path)
        truth = vyl.fold("\n".join(line.truth for line in run) + "\n", table)
        items.append(Item(f"vyl-pages/{name}", "vyl-pages", f"vyl/{name}", "page", "rus", image_path, truth, "page"))
    every_line = {line.stem: (vyl.run_name(run), line) for run in runs for line in run}
    for stem in sample(list(every_line), lines, "vyl-lines"):
        run_name, line = every_line[stem]
        items.append(Item(f"vyl-lines/{stem}", "vyl-lines", f"vyl/{run_name}", "line", "rus", line.image,
                          vyl.fold(line.truth + "\n", table), "line"))  # fmt: skip
    for dpi in resolutions:
        folder_out = cache / f"vyl-lines-{dpi}dpi"
        folder_out.mkdir(parents=True, exist_ok=True)
        for stem in sample(list(every_line), lines, "vyl-lines"):
            run_name, line = every_line[stem]
            image_path = folder_out / f"{stem}.png"
            if not image_path.is_file():
                tmp = image_path.with_suffix(".tmp.png")
                vyl.resampled(line.image, dpi).save(tmp, dpi=(dpi, dpi))
                tmp.replace(image_path)
            items.append(Item(f"vyl-lines-{dpi}dpi/{stem}", "vyl-lines-rescaled", f"vyl/{run_name}", f"{dpi}dpi", "rus",
                              image_path, vyl.fold(line.truth + "\n", table), "line"))  # fmt: skip
    (cache / "vyl-fold.json").write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    return items
