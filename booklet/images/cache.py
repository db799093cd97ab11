"""Prepared images kept by content and settings (in booklet's verified store), so that a rebuild
does not redo them."""

from __future__ import annotations

import json
from pathlib import Path

from ..cache import Store, default_folder
from .prepared import PreparedImage

_FIELDS = ("pixel_width", "pixel_height", "placed_width", "placed_height", "ppi", "mode")


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/booklet (default ~/.cache/booklet)."""
    return default_folder()


class Cache:
    """Prepared images in the store: entry `images/<key>` is the fields as JSON and the image's
    bytes (absent when the original file is embedded as it is); `image-facts/<digest>` is a
    source file's size and orientation. An entry that fails its digest, or whose fields are not
    what this module writes, is a miss: the image is prepared again, never embedded damaged."""

    def __init__(self, folder: Path | Store):
        self.store = folder if isinstance(folder, Store) else Store(folder)

    def get(self, key: str, path: Path, source: bytes) -> PreparedImage | None:
        payload = self.store.read("images", key)
        if payload is None:
            return None
        try:
            size = int.from_bytes(payload[:4], "little")
            meta = json.loads(payload[4:4 + size])
            data = source if meta["passthrough"] else payload[4 + size:]
            if len(data) != meta["size"]:
                return None
            fields = {name: meta[name] for name in _FIELDS}
            if not all(isinstance(fields[name], int) for name in _FIELDS[:2]) or \
                    not all(isinstance(fields[name], (int, float)) for name in _FIELDS[2:5]) or \
                    not isinstance(fields["mode"], str):
                return None
            return PreparedImage(source=path, data=data, **fields)
        except (ValueError, KeyError, TypeError):
            return None

    def get_facts(self, digest: str) -> tuple[int, int, int] | None:
        """(width, height, EXIF orientation) of the image file with this content digest: with
        them a rebuild finds its entry without opening the file (Pillow decodes a whole PNG
        to look for EXIF data after the pixels)."""
        payload = self.store.read("image-facts", digest)
        try:
            width, height, orientation = json.loads(payload)
            return int(width), int(height), int(orientation)
        except (ValueError, TypeError):
            return None

    def put_facts(self, digest: str, facts: tuple[int, int, int]) -> None:
        self.store.write("image-facts", digest, json.dumps(list(facts)).encode())

    def put(self, key: str, image: PreparedImage, passthrough: bool) -> None:
        meta = {"passthrough": passthrough, "size": len(image.data),
                **{name: getattr(image, name) for name in _FIELDS}}
        head = json.dumps(meta).encode()
        body = b"" if passthrough else image.data
        self.store.write("images", key, len(head).to_bytes(4, "little") + head + body)
