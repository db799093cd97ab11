import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_booklet  # noqa: E402


@pytest.fixture(scope="session")
def generated_booklet(tmp_path_factory) -> Path:
    """A booklet folder of about 30 pages: preface, three articles, photos, every block kind."""
    return make_booklet(tmp_path_factory.mktemp("generated") / "gen", articles=3, words_per_article=1200)
