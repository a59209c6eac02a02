"""End-to-end tests of the workshop app in a real headless Chromium (Debian's package), driven by
Playwright, against ``abm app`` started as a subprocess (two worker processes). The tests open the
app with a link to a small district (fast on two cores). With UPDATE_DOCS_SCREENSHOTS=1 the
presentation-mode screenshot is also written to docs/."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from abm.app.settings import Levers, Settings, to_json, to_query
from abm.app.text import COLUMNS_NL, TEXT, district_label

ROOT = Path(__file__).parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SMALL = Settings(population=300, runs=3, years=2, scenarios=(
    Levers(), Levers(developers_fte=1.0, funding_years=1.0), Levers(developers_fte=1.0)))
LINK = "?" + to_query(SMALL, "nl")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (CI installs it)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    env = dict(os.environ, BUURTKRACHT_WORKERS="2")
    proc = subprocess.Popen([sys.executable, "-m", "abm.cli", "app", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError(f"app did not start: {proc.stdout.read().decode(errors='replace')[-2000:]}")
    yield url
    os.killpg(proc.pid, signal.SIGTERM)  # the whole group (server and workers): nothing may outlive the tests
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


def open_app(browser, url: str, width: int = 1600, height: int = 1000):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    pg.on("response", lambda r: pg.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    pg.goto(url)
    pg.locator(".bk-card").first.wait_for(timeout=180_000)
    pg.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 5", timeout=120_000)
    return context, pg


@pytest.fixture
def page(server, browser):
    context, pg = open_app(browser, server + LINK)
    yield pg
    context.close()


def year(pg) -> float:
    return float(pg.locator(".bk-year").inner_text().split()[-1].replace(",", "."))


def step(pg) -> float:
    before = year(pg)
    pg.get_by_role("button", name="Stap").click()
    pg.wait_for_function(f"() => document.querySelector('.bk-year').innerText !== {pg.locator('.bk-year').inner_text()!r}",
                         timeout=120_000)
    assert year(pg) > before
    time.sleep(1.0)  # the plots redraw after the numbers
    return year(pg)


def traces(pg, index: int) -> list[dict]:
    return pg.evaluate(f"""() => document.querySelectorAll('.js-plotly-plot')[{index}].data.map(
        t => ({{name: t.name || '', n: (t.x || []).length, fill: t.fill || ''}}))""")


def card_lines(pg, metric: str) -> list[str]:
    return pg.locator(f'.bk-card[data-metric="{metric}"] .bk-val').all_inner_texts()


def test_loads_without_console_errors_with_three_scenarios_and_bands(page):
    assert page.problems == []
    legend = page.locator(".bk-legend-item").all_inner_texts()
    assert [item.split()[0] for item in legend] == ["A", "B", "C"]
    lonely = traces(page, 1)
    assert sum(t["fill"] == "tonexty" for t in lonely) == 3  # a band per scenario
    assert {t["name"].split(":")[0] for t in lonely if t["name"] and not t["name"].startswith("band")} == {"A", "B", "C"}
    page.screenshot(path=str(ARTIFACTS / "01_loaded.png"))


def test_scenarios_start_equal_and_cards_use_dutch_formats(page):
    for metric in ("lonely_share", "clients", "cost_per_resident_year"):
        values = [line.split(maxsplit=1)[1] for line in card_lines(page, metric)]
        assert len(values) == 3 and len(set(values)) == 1, (metric, values)  # year 0: identical
    assert re.fullmatch(r"\d{1,2},\d%", card_lines(page, "lonely_share")[0].split()[1])
    assert re.fullmatch(r"€\u00a0\d{1,3}(\.\d{3})*", card_lines(page, "cost_per_resident_year")[0].split(maxsplit=1)[1])
    assert page.locator(".bk-card .bk-chance").count() >= 2  # no difference yet: within chance


def test_a_step_draws_new_and_lost_ties(page):
    step(page)
    page.wait_for_function("""() => document.querySelectorAll('.js-plotly-plot')[0].data.some(
        t => /^nieuwe band \\([1-9]/.test(t.name || ''))""", timeout=60_000)
    network = {t["name"].split(" (")[0]: (t["name"], t["n"]) for t in traces(page, 0) if t["name"]}
    for label in ("nieuwe band", "verloren band"):
        name, points = network[label]
        count = int(re.search(r"\((\d+)\)", name).group(1))
        assert count > 0 and points == 3 * count  # every tie drawn: two ends and a gap
    counts = page.locator(".bk-tie-counts").inner_text()
    assert "nieuwe band: " in counts and "verloren band: " in counts


def test_a_lever_changed_during_play_acts_from_now_without_a_restart(page):
    reached = step(page)
    page.get_by_text("Huisarts verwijst (Welzijn op recept)").click()  # scenario B, from now on
    page.locator(".bk-legend-item").nth(1).filter(has_text="huisarts verwijst").wait_for(timeout=60_000)
    assert year(page) >= reached  # the runs went on
    after = step(page)
    assert after > reached
    shapes = page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[1].layout.shapes || []")
    assert any(abs(s["x0"] - reached) < 0.2 for s in shapes)  # the change is marked in the charts
    page.screenshot(path=str(ARTIFACTS / "02_lever_changed.png"))


def test_csv_download_is_dutch_excel(page, tmp_path):
    step(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_text("Tabel downloaden (CSV)").click()
    path = tmp_path / "runs.csv"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    header = rows[0]
    assert COLUMNS_NL["lonely_share"] in header and COLUMNS_NL["formal_care_cost"] in header
    share = rows[1][header.index(COLUMNS_NL["lonely_share"])]
    assert re.fullmatch(r"0,\d+", share)
    assert {r[0] for r in rows[1:]} == {"A", "B", "C"}


def test_a_link_restores_the_settings(server, browser):
    settings = SMALL.with_(district_type="storp", seed=5, scenarios=(Levers(), Levers(gp_referral=True)))
    query = to_query(settings, "nl")
    context, pg = open_app(browser, f"{server}?{query}")
    try:
        assert pg.locator(".v-select").filter(has_text="Type wijk of dorp").inner_text().endswith("Storp (plaats)")
        assert pg.locator(".bk-legend-item").all_inner_texts()[1].endswith("huisarts verwijst")
        assert pg.locator("a.bk-link").get_attribute("href") == f"?{query}"
        assert pg.problems == []
    finally:
        context.close()


def drop_file(pg, path: Path) -> None:
    """Drag ``path`` from disk onto the page's file drop zone, as a facilitator drags a file from a folder:
    Chromium's own drag events (DevTools protocol), since a drop made by a script carries no file entry."""
    zone = pg.locator(".solara-file-drop")
    zone.scroll_into_view_if_needed()
    box = zone.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = pg.context.new_cdp_session(pg)
    try:
        data = {"items": [], "files": [str(path)], "dragOperationsMask": 1}
        for kind in ("dragEnter", "dragOver", "drop"):
            cdp.send("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})
    finally:
        cdp.detach()


def test_a_dropped_session_file_restores_the_settings(page, tmp_path):
    """Sessions (issue 12): a saved session file dropped on the page restores its settings and its language;
    a file that is not a session is then refused with the reason and the restored runs stay."""
    settings = SMALL.with_(district_type="storp", seed=5, runs=2, scenarios=(Levers(), Levers(gp_referral=True)))
    saved = tmp_path / "buurtkracht_sessie.json"
    saved.write_text(to_json(settings, "en"), encoding="utf-8")
    drop_file(page, saved)
    page.locator(".bk-legend-item").nth(1).filter(has_text=TEXT["d_gp"][1]).wait_for(timeout=180_000)
    assert page.locator(".bk-legend-item").count() == len(settings.scenarios)
    from playwright.sync_api import expect  # waits: the controls re-render just after the legend
    expect(page.locator(".v-select").filter(has_text=TEXT["district_type"][1])).to_contain_text(
        district_label("storp", "en"), timeout=30_000)
    expect(page.locator("a.bk-link")).to_have_attribute("href", f"?{to_query(settings, 'en')}", timeout=30_000)
    assert page.locator(".bk-error").count() == 0

    legend = page.locator(".bk-legend-item").all_inner_texts()
    broken = tmp_path / "notes.json"
    broken.write_text('{"agenda": "workshop"}', encoding="utf-8")
    drop_file(page, broken)
    page.locator(".bk-error").filter(has_text=TEXT["bad_file"][1].split("{why}")[0].strip()).wait_for(timeout=60_000)
    assert page.locator(".bk-legend-item").all_inner_texts() == legend  # the restored runs stay
    assert page.problems == []


def test_a_rejected_setting_snaps_back_and_says_why(page):
    slider = page.locator(".v-input").filter(has_text="Aantal inwoners").locator("[role=slider]").first
    slider.focus()
    page.keyboard.press("Home")  # 50 residents: less than one street
    page.get_by_text("Aantal inwoners = 50 kan niet").wait_for(timeout=60_000)
    assert "minstens één straat" in page.locator(".bk-error").inner_text()
    page.wait_for_function("() => document.querySelector('.bk-controls [role=slider]').getAttribute('aria-valuenow') === '300'",
                           timeout=30_000)


def test_presentation_mode_fits_a_projector(server, browser):
    context, pg = open_app(browser, server + LINK, width=1280, height=720)
    try:
        pg.get_by_role("button", name="Presentatie").click()
        pg.locator(".bk-presenting").wait_for(timeout=60_000)
        pg.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 2", timeout=60_000)
        step(pg)
        time.sleep(1.5)
        size = pg.evaluate("""() => ({sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
                                      sh: document.documentElement.scrollHeight, ch: window.innerHeight})""")
        assert size["sw"] <= size["cw"], size  # no horizontal scrolling
        assert size["sh"] <= size["ch"] + 1, size  # everything on one screen
        cut = pg.evaluate("""() => Array.from(document.querySelectorAll(
                '.bk-root h1, .bk-card-title, .bk-val, .bk-diff, .bk-chance, .bk-legend-item, .bk-year, .v-btn__content, .bk-chart-title, .bk-help'))
            .filter(e => e.offsetParent !== null && (e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth + 1
                                                     || e.getBoundingClientRect().bottom > window.innerHeight + 1))
            .map(e => e.className + ': ' + e.innerText)""")
        assert cut == []
        assert pg.locator(".bk-controls").count() == 0
        badge = pg.evaluate("""() => { const a = document.querySelector('a[href="https://solara.dev"]');
                                      if (!a) return null; const r = a.getBoundingClientRect(); return [r.top, r.bottom]; }""")
        main = pg.evaluate("() => document.querySelector('.bk-present-main').getBoundingClientRect().bottom")
        assert badge is None or badge[0] >= main  # Solara's badge below the content, not over it
        assert pg.problems == []
        shot = ARTIFACTS / "presentation_1280x720.png"
        pg.screenshot(path=str(shot))
        if os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
            shutil.copy(shot, ROOT / "docs" / "app_presentation_1280x720.png")
    finally:
        context.close()


def test_a_guided_lesson_walks_predict_play_reveal_discuss(page):
    from abm.app.lessons import lesson

    item = lesson("specialist")
    title_nl, title_en = item["title"]
    answer = item["choices"][2][0]
    page.locator(".bk-lesson-picker").click()
    page.get_by_role("option", name=title_nl).click()
    page.locator(".bk-lesson.bk-stage-predict").wait_for(timeout=60_000)
    page.locator(".bk-legend-item").nth(1).filter(has_text="specialist ×0,5").wait_for(timeout=180_000)  # its scenarios
    assert item["question"][0] in page.locator(".bk-lesson").inner_text()
    assert page.get_by_role("button", name="Afspelen").is_disabled()  # predict before anything runs
    page.locator(".bk-choices .v-btn").filter(has_text=answer).click()
    page.locator(".bk-next").click()
    page.locator(".bk-lesson.bk-stage-play").wait_for(timeout=30_000)
    step(page)
    page.locator(".bk-next").click()
    page.locator(".bk-your-prediction").filter(has_text=answer).wait_for(timeout=30_000)
    assert item["finding"][0][:60] in page.locator(".bk-finding").inner_text()
    page.locator(".bk-next").click()
    assert item["quote"][0][:60] in page.locator(".bk-quote").inner_text()
    page.get_by_role("button", name="English").click()
    page.locator(".bk-lesson-title").filter(has_text=title_en).wait_for(timeout=30_000)
    assert page.problems == []
    page.screenshot(path=str(ARTIFACTS / "03_guided_lesson.png"))
