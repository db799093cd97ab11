"""Prepared images → figure flowables: the image with its caption, kept on one page."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..images import PreparedImage


class ImageFlowable(Flowable):
    """An image at its prepared size, centred in the frame."""

    def __init__(self, image: PreparedImage):
        super().__init__()
        self.image = image
        self.width = image.placed_width
        self.height = image.placed_height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._frame_width = available_width
        return available_width, self.height

    def draw(self) -> None:
        x = (self._frame_width - self.width) / 2
        self.canv.drawImage(ImageReader(BytesIO(self.image.data)), x, 0, self.width, self.height)


def figure_flowable(image: PreparedImage, caption: Flowable | None, full_page: bool) -> Flowable:
    parts: list[Flowable] = [Spacer(0, 4), ImageFlowable(image)]
    if caption is not None:
        parts.append(caption)
    return KeepTogether(parts)
