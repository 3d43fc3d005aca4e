"""Exports read by the tools analysts use: the HXL CSV by libhxl, tag by tag; the same CSV over HTTP and from the
command line."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import hxl

from briefings.exports import claims, tables
from briefings.service import Briefings
from tests.conftest import ROOT
from tests.web_serving import MODERATOR, SLUG, get, moderate, serving_web


def rows(text: str) -> list[hxl.model.Row]:
    return list(hxl.data(io.BytesIO(text.encode())).cache())


async def test_claims_hxl_is_one_claim_per_row_read_tag_by_tag(briefings: Briefings) -> None:
    await briefings.handle("/update toll killed=120 civilians=60 source=SOHR as_of=2025-03-08T18:00", MODERATOR)
    snapshot = await briefings.store.snapshot(SLUG)
    data = hxl.data(io.BytesIO(claims.claims_csv(snapshot).encode())).cache()
    assert data.columns[0].display_tag == "#affected+killed"
    by_id = {row.get("#meta+id"): row for row in data}
    assert set(by_id) == {"t1", "t2", "t3", "t4"}
    t1 = by_id["t1"]
    assert t1.get("#affected+killed") == "70"
    assert t1.get("#meta+qualifier") == "at least"
    assert t1.get("#affected+killed+civilians") == "4"
    assert t1.get("#affected+killed+security") == "35"
    assert t1.get("#meta+source") == "Syrian Observatory for Human Rights"
    assert t1.get("#meta+source+type") == "war-monitor"
    assert t1.get("#date+reported") == "2025-03-07"
    assert t1.get("#meta+as_of") == "2025-03-07 morning"
    assert by_id["t4"].get("#date+reported") == "2025-03-08T18:00"
    assert t1.get("#meta+figures") == "wounded: dozens"
    assert t1.get("#meta+id+superseded_by") == "t4"
    assert t1.get("#status") == "reported"
    assert t1.get("#crisis+name") == "Clashes on Syria's coast"
    assert by_id["t2"].get("#loc+name") == "Jableh"
    assert by_id["t2"].get("#adm1+name") == "Latakia province"
    assert by_id["t2"].get("#adm1+code") == "SY06"
    assert by_id["t1"].get("#adm1+code") in (None, "")  # the whole situation: no place
    assert by_id["t4"].get("#affected+killed") == "120"
    assert by_id["t4"].get("#meta+id+superseded_by") in (None, "")
    assert hxl.validate(data)["is_valid"]  # libhxl's default schema: dates are dates, numbers numbers
    total_only = data.with_columns("#affected+killed-civilians-security-insurgents-unknown-min-max")
    assert [c.display_tag for c in total_only.columns] == ["#affected+killed"]


async def test_latest_per_source_and_place_keeps_one_source_per_row(briefings: Briefings) -> None:
    await briefings.handle("/update toll killed=120 source=SOHR as_of=2025-03-08T18:00", MODERATOR)
    snapshot = await briefings.store.snapshot(SLUG)
    data = rows(claims.latest_csv(snapshot))
    killed = [
        (r.get("#meta+source"), r.get("#loc+name") or "", r.get("#indicator+num"))
        for r in data
        if r.get("#indicator+name") == "killed"
    ]
    assert ("Syrian Observatory for Human Rights", "", "120") in killed
    assert ("Syrian Observatory for Human Rights", "Jableh", "48") in killed
    assert all(";" not in (r.get("#meta+source") or "") for r in data)
    wounded = [r for r in data if r.get("#indicator+name") == "wounded"]
    assert [(r.get("#indicator+num"), r.get("#meta+words")) for r in wounded] == [(None, "dozens")]
    assert hxl.validate(hxl.data(io.BytesIO(claims.latest_csv(snapshot).encode())).cache())["is_valid"]


async def test_acled_and_ucdp_tables_leave_unknown_columns_empty(briefings: Briefings) -> None:
    snapshot = await briefings.store.snapshot(SLUG)
    acled = list(csv.DictReader(io.StringIO(tables.acled_csv(snapshot))))
    assert list(acled[0])[:3] == ["event_id_cnty", "event_date", "year"]
    assert all(row["fatalities"] == "" and row["event_type"] == "" for row in acled)
    assert {row["event_id_cnty"] for row in acled} >= {f"{SLUG}-e9"}
    ucdp = {row["id"]: row for row in csv.DictReader(io.StringIO(tables.ucdp_csv(snapshot)))}
    assert ucdp["t1"]["best"] == "70" and ucdp["t1"]["deaths_civilians"] == "4"
    assert ucdp["t1"]["side_a"] == "" and ucdp["t1"]["type_of_violence"] == ""
    assert ucdp["t2"]["where_coordinates"] == "Jableh"


async def test_a_formula_in_fact_text_is_kept_as_text(briefings: Briefings) -> None:
    await briefings.handle(
        '/update toll killed=5 source=SOHR as_of=2025-03-08 note="=HYPERLINK(1)" confirm=yes', MODERATOR
    )
    snapshot = await briefings.store.snapshot(SLUG)
    notes = [r.get("#description") for r in rows(claims.claims_csv(snapshot))]
    assert "'=HYPERLINK(1)" in notes


async def test_the_page_offers_the_same_exports_as_the_command_line(sqlite_url: str) -> None:
    async with serving_web(sqlite_url) as serving:
        await moderate(serving, "/weblink public")
        served = await get(serving, f"/s/{SLUG}/claims.hxl.csv")
        assert served.headers["Content-Disposition"].startswith("attachment")
        command = [sys.executable, "-m", "bot", "export", "--format", "hxl", "--situation", SLUG]
        env = {"BRIEFING_DATABASE_URL": sqlite_url, "PATH": "/usr/bin:/bin"}
        printed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=True, timeout=120)
        assert printed.stdout.replace("\r\n", "\n") == served.text.replace("\r\n", "\n")
