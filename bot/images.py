"""Charts from the console and `briefing ask`: written as files, since a terminal cannot show them."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bot.adapter import SetupError
from briefings.reply import Image


def save_image(image: Image) -> Path:
    """Writes a reply's chart to `$BRIEFING_CHART_DIR` (default: a `briefing-charts` folder in the temp dir)."""
    folder = Path(os.environ.get("BRIEFING_CHART_DIR") or Path(tempfile.gettempdir()) / "briefing-charts")
    stem, _, suffix = image.filename.rpartition(".")
    path = folder / f"{stem or image.filename}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.{suffix or 'png'}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(image.png)
    except OSError as exc:
        raise SetupError(
            f"cannot write the chart to {folder} ({exc.strerror}); set BRIEFING_CHART_DIR to a writable folder"
        ) from None
    return path
