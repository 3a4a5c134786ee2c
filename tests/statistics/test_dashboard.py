"""The supervisor dashboard in a real headless Chromium (Debian's chromium, driven by Playwright):
it loads without console errors, shows a task that arrives within a second, and a worker's
activity change made on the page reaches the API. The run leaves a screenshot in var/."""

from __future__ import annotations

import os
import pathlib
import time

import pytest
from playwright.sync_api import expect
from polling import eventually

CHROMIUM = os.environ.get("TASKROUTER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = pathlib.Path(__file__).resolve().parents[2] / "var" / "dashboard.png"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: make setup (or .ci/run) installs Debian's chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def test_the_dashboard_shows_the_floor_live_and_changes_activities(floor, server, page):
    sales, support = floor.queue("Sales", "skill == 'sales'"), floor.queue("Support", "skill == 'support'")
    flow = floor.workflow(support["sid"], filters=[
        {"filter_friendly_name": "sales", "expression": "kind == 'sales'", "targets": [{"queue": sales["sid"]}]}])
    ada = floor.worker("Ada", skill="sales")
    floor.worker("Grace", skill="support")
    floor.worker("Linus", online=False, skill="support")
    first = floor.task(flow["sid"], channel="voice", kind="sales")
    floor.respond(floor.pending_reservation(first["sid"])["sid"], "accepted")
    for kind in ("support", "support", "sales"):
        floor.task(flow["sid"], channel="chat", kind=kind)

    page.goto(f"{server.http_url}/dashboard?workspaceSid={floor.ws['sid']}")
    page.fill("#account-sid", floor.account["accountSid"])
    page.fill("#auth-token", floor.account["authToken"])
    page.click("#sign-in-form button[type=submit]")
    waiting = page.locator(f"tr[data-queue='{sales['sid']}'] td.waiting")
    waiting.wait_for(timeout=10_000)
    expect(page.locator("#connection")).to_have_text("live", timeout=10_000)
    expect(waiting).to_have_text("1")

    floor.task(flow["sid"], channel="voice", kind="sales")
    arrived = time.monotonic()
    expect(waiting).to_have_text("2", timeout=1_000)  # within a second
    assert time.monotonic() - arrived < 1.0

    page.locator(f"[data-worker='{ada['sid']}'] .channels").filter(has_text="voice 1").wait_for(timeout=5_000)
    page.select_option(f"[data-worker='{ada['sid']}'] select", floor.activity["Offline"])
    eventually(lambda: floor.ok(floor.http.get(f"/taskrouter/workers/search/{ada['sid']}"))["activityName"]
               == "Offline")
    offline = page.locator(f"[data-activity='{floor.activity['Offline']}'] [data-worker='{ada['sid']}']")
    offline.wait_for(timeout=5_000)

    page.locator(f"tr[data-queue='{support['sid']}'] td.p90").filter(has_not_text="…").wait_for(timeout=20_000)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert page.problems == []


def test_a_wrong_token_is_refused_on_the_page(server, account, page):
    page.goto(f"{server.http_url}/dashboard")
    page.fill("#account-sid", account["accountSid"])
    page.fill("#auth-token", "wrong")
    page.click("#sign-in-form button[type=submit]")
    page.locator("#sign-in-error").filter(has_text="Sign-in failed").wait_for(timeout=5_000)
    assert page.locator("#board").is_hidden()


def test_dashboard_files_come_from_the_package(http):
    page = http.get("/dashboard")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    assert http.get("/dashboard/dashboard.js").headers["content-type"].startswith("text/javascript")
    assert http.get("/dashboard/nothing.js").status_code == 404
    assert http.post("/dashboard").status_code == 405
