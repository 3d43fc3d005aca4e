"""The web page as a person sees it: fetched over HTTP on 127.0.0.1 and rendered by headless Chromium (Debian's
`chromium` and `chromium-driver`, which scripts/setup installs in CI). Outside CI, without them, these tests are
skipped with a message saying what to install; in CI they must run."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypedDict

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.web_serving import SLUG, base, moderate, serving_web

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=412,915",  # a phone's screen
)


WIDER = (
    "const width = document.documentElement.clientWidth;"
    "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width)"
    ".map(e => e.tagName + ': ' + e.textContent.slice(0, 60))"
)
"""Run by the test driver (the page has no script): what sticks out to the right, for the failure message."""


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        message = (
            "headless Chromium is not installed: apt-get install chromium chromium-driver (scripts/setup does in CI)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    yield driver
    driver.quit()


class Seen(TypedDict):
    title: str
    text: str
    images: list[tuple[str | None, Any]]
    scripts: int
    links: list[str | None]
    console: list[dict[str, Any]]
    width: Any
    wide: Any
    client: Any


def look(driver: webdriver.Chrome, url: str, screenshot: Path) -> Seen:
    """What a person sees at `url`, with the console's messages; a screenshot is kept at `screenshot`."""
    driver.get(url)
    images = driver.find_elements(By.CSS_SELECTOR, "figure img")
    log: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    seen: Seen = {
        "title": driver.title,
        "text": driver.find_element(By.TAG_NAME, "body").text,
        "images": [
            (
                img.get_attribute("alt"),
                driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img),
            )
            for img in images
        ],
        "scripts": len(driver.find_elements(By.TAG_NAME, "script")),
        "links": [a.get_attribute("href") for a in driver.find_elements(By.TAG_NAME, "a")],
        "console": [entry for entry in log if entry["level"] in ("SEVERE", "WARNING")],
        "width": driver.execute_script("return document.documentElement.scrollWidth"),
        "wide": None,
        "client": None,
    }
    assert driver.save_screenshot(str(screenshot))
    seen["wide"] = driver.execute_script(WIDER)
    seen["client"] = driver.execute_script("return document.documentElement.clientWidth")
    return seen


async def test_a_person_sees_the_headline_figure_with_its_source_and_the_chart(
    sqlite_url: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    async with serving_web(sqlite_url) as serving:
        await moderate(serving, "/weblink public")
        await moderate(serving, "/update toll killed=120 civilians=60 source=SOHR as_of=2025-03-08T18:00")
        shot = tmp_path / "page.png"
        seen = await asyncio.to_thread(look, browser, f"{base(serving)}/s/{SLUG}", shot)
    assert seen["title"] == "Clashes on Syria's coast"
    text = str(seen["text"])
    assert "120 killed, according to SOHR (as of Sat 8 Mar 2025 18:00)" in text, text[:1500]
    assert "[t4]" in text
    [(alt, width)] = seen["images"]
    assert width and int(width) > 100, "the chart image did not load"
    assert alt and "SOHR" in str(alt)
    assert seen["console"] == []
    assert seen["scripts"] == 0
    assert int(str(seen["width"])) <= int(str(seen["client"])), seen["wide"]
    assert shot.stat().st_size > 10_000


async def test_hostile_fact_text_shows_as_text_in_the_browser(
    sqlite_url: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    hostile = "<script>alert(1)</script><a href='https://evil.example/'>click</a> <b>bold</b>"
    async with serving_web(sqlite_url) as serving:
        await moderate(serving, "/weblink public")
        await moderate(serving, f'/add event date=2025-03-07 text="{hostile}" source=SOHR')
        seen = await asyncio.to_thread(look, browser, f"{base(serving)}/s/{SLUG}", tmp_path / "hostile.png")
    assert hostile in str(seen["text"])
    assert seen["scripts"] == 0
    assert not [link for link in seen["links"] if "evil.example" in str(link)]
    assert seen["console"] == []
