"""Prepared images on disk, by content and settings, so that a rebuild does not redo them."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .prepared import PreparedImage

CACHE_LIMIT = 512 * 1024 * 1024
"""Bytes the image cache may hold before its least recently used entries are dropped."""


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/booklet (default ~/.cache/booklet)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "booklet"


class Cache:
    """Prepared images on disk: `<key>.json` (fields) and `<key>.bin` (the bytes, unless the
    original file is embedded). Any failure to read or write just means no cache."""

    def __init__(self, folder: Path):
        self.folder = Path(folder) / "images"

    def get(self, key: str, path: Path, source: bytes) -> PreparedImage | None:
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text())
            data = source if meta.pop("passthrough") else (self.folder / f"{key}.bin").read_bytes()
            if len(data) != meta.pop("size"):
                return None
            os.utime(self.folder / f"{key}.json")  # recently used: kept when the cache is pruned
            return PreparedImage(source=path, data=data, **meta)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def get_facts(self, digest: str) -> tuple[int, int, int] | None:
        """(width, height, EXIF orientation) of the image file with this content digest: with
        them a rebuild finds its entry without opening the file (Pillow decodes a whole PNG
        to look for EXIF data after the pixels)."""
        try:
            width, height, orientation = json.loads((self.folder / f"{digest}.facts.json").read_text())
            return int(width), int(height), int(orientation)
        except (OSError, ValueError, TypeError):
            return None

    def put_facts(self, digest: str, facts: tuple[int, int, int]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(f"{digest}.facts.json", json.dumps(list(facts)).encode())
        except OSError:
            pass

    def put(self, key: str, image: PreparedImage, passthrough: bool) -> None:
        meta = {"passthrough": passthrough, "size": len(image.data), "pixel_width": image.pixel_width,
                "pixel_height": image.pixel_height, "placed_width": image.placed_width,
                "placed_height": image.placed_height, "ppi": image.ppi, "mode": image.mode}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not passthrough:
                self._write(f"{key}.bin", image.data)
            self._write(f"{key}.json", json.dumps(meta).encode())  # last: it marks the entry complete
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        """Past CACHE_LIMIT bytes, drop the least recently used entries down to 3/4 of it."""
        entries = []
        total = 0
        for meta in self.folder.glob("*.json"):
            data = meta.with_suffix(".bin")
            size = meta.stat().st_size + (data.stat().st_size if data.exists() else 0)
            entries.append((meta.stat().st_mtime, size, meta, data))
            total += size
        if total <= CACHE_LIMIT:
            return
        for _, size, meta, data in sorted(entries):
            meta.unlink(missing_ok=True)
            data.unlink(missing_ok=True)
            total -= size
            if total <= CACHE_LIMIT * 3 // 4:
                break

    def _write(self, name: str, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
