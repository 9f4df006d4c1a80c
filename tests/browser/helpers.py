"""What every browser journey shares: people's browser contexts, page checks and keyboard moves.

`check_page` is called on every page a journey reaches: it writes a full-page screenshot under
var/screenshots/ and runs axe-core (the npm package's own script, read from node_modules, so
nothing is fetched at run time) against WCAG 2.0/2.1/2.2 A and AA rules, failing on any serious or
critical violation.

Keyboard journeys use only `press`, `type_text` and `tab_to`: no `click()`. `tab_to` moves focus
with Tab until the focused element matches, then checks that the focus is visible in the GOV.UK
style (the yellow focus colour as an outline, background or box shadow).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

# Every test user's password (tests/factories.py's UserFactory).
PASSWORD = "correct horse battery staple"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")
# GOV.UK Frontend's focus colour ($govuk-focus-colour, #ffdd00) as computed styles report it.
FOCUS_YELLOW = "rgb(255, 221, 0)"
# Reported at the end of the run (see conftest.py): how many pages axe checked, and what it found.
AXE_LOG: list[dict] = []

# Every violation of the Content Security Policy is logged as a console error, so the console
# listener below catches it; the event listener adds the directive and the blocked address.
# `window.cspViolations` lets a test read them page by page.
CSP_LISTENER = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const text = `${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`;
  window.cspViolations.push(text);
  console.error(`CSP violation: ${text}`);
});
"""


def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run `npm ci` (the Makefile's test target does).")
    return AXE_SCRIPT.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- people's browsers


@dataclass
class BrowserSession:
    """Browser contexts on the live server, one per person, with every console error kept."""

    browser: object
    base_url: str
    problems: list[str] = field(default_factory=list)
    contexts: list = field(default_factory=list)

    def open(self, who: str):
        """A fresh context (its own cookies) and page for one person, under the real CSP."""
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
            timezone_id="Europe/London",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.on("console", lambda message: self._console(who, page, message))
        page.on(
            "pageerror", lambda error: self.problems.append(f"{who}: script error on {page.url}: {error}")
        )
        page.on("response", lambda response: self._response(who, response))
        self.contexts.append(context)
        return page

    def _console(self, who: str, page, message) -> None:
        # Chromium also logs every 4xx/5xx response; `_response` judges those.
        if message.type == "error" and not message.text.startswith("Failed to load resource: the server"):
            self.problems.append(f"{who}: console error on {page.url}: {message.text}")

    def _response(self, who: str, response) -> None:
        # A page may answer 400 on purpose (a form re-shown with its errors); the journeys check
        # what each page says. A failing stylesheet, script or image, or a server error, is a fault.
        is_page = response.request.resource_type == "document"
        if response.status >= 500 or (response.status >= 400 and not is_page):
            self.problems.append(f"{who}: {response.status} for {response.request.method} {response.url}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    def assert_console_clean(self) -> None:
        assert not self.problems, "The browser reported problems:\n" + "\n".join(self.problems)


def sign_in(page, *, username: str, password: str = PASSWORD) -> None:
    """Sign in with the pointer (the keyboard journeys have their own, `keyboard_sign_in`)."""
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/account/sign-in/" not in page.url, f"Sign-in as {username} failed: {page_text(page)[:500]}"


def accessible_name(text: str) -> re.Pattern:
    """A link's full name, visually hidden part included, for `get_by_role(..., name=...)`.

    The hidden part (`govuk-visually-hidden`) is positioned apart from the visible text, so
    Chromium may compute the name with a space before its punctuation ("6c : history of ...").
    """
    parts = re.split(r"(?=[,:])", text)
    return re.compile("^" + r"\s*".join(re.escape(part) for part in parts) + "$")


def page_text(page) -> str:
    return re.sub(r"\s+", " ", page.inner_text("body"))


# --------------------------------------------------------------------------- checks on each page


def check_page(page, *, journey: str, step: str) -> None:
    """Screenshot the page for review, then fail on any serious or critical axe violation."""
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{journey}-{step}.png"), full_page=True)
    violations = axe_violations(page)
    AXE_LOG.append({"journey": journey, "step": step, "url": page.url, "violations": len(violations)})
    assert not violations, (
        f"axe found serious or critical violations on {page.url} ({journey}, {step}):\n"
        + ("\n".join(_describe(v) for v in violations))
    )


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG A/AA violations axe-core finds on the page as it is now.

    The script is evaluated through the DevTools protocol, to which the page's Content Security
    Policy does not apply; a <script> tag added to the page would be refused by it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
            const results = await axe.run(document, options);
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary, html: n.html})),
            }));
        }""",
        AXE_TAGS,
    )
    return [v for v in results if v["impact"] in FAILING_IMPACTS]


def _describe(violation: dict) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"]
    for node in violation["nodes"][:10]:
        lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
        lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


# --------------------------------------------------------------------------- the keyboard


@dataclass(frozen=True)
class Focused:
    """The element that has the keyboard focus, as a person would describe it."""

    tag: str
    type: str
    id: str
    name: str
    text: str  # its text, including visually hidden text (what a screen reader reads)
    label: str  # a form control's label
    value: str
    href: str
    checked: bool

    def __str__(self) -> str:
        what = self.text or self.label or self.id or self.name
        return f"<{self.tag}{' type=' + self.type if self.type else ''}> {what!r}"


FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const squash = (text) => (text || '').replace(/\\s+/g, ' ').trim();
  return {
    tag: el.tagName.toLowerCase(),
    type: el.getAttribute('type') || '',
    id: el.id || '',
    name: el.getAttribute('name') || '',
    text: squash(el.textContent),
    label: squash(el.labels && el.labels.length ? el.labels[0].textContent : el.getAttribute('aria-label')),
    value: typeof el.value === 'string' ? el.value : '',
    href: el.getAttribute('href') || '',
    checked: !!el.checked,
  };
}"""

# True when the focused control (or, for GOV.UK radios and checkboxes, the drawn circle or box
# in its label's ::before) shows the yellow focus colour.
FOCUS_VISIBLE_JS = """(yellow) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {visible: false, styles: []};
  const styles = [getComputedStyle(el)];
  if (el.labels && el.labels.length && el.matches('.govuk-radios__input, .govuk-checkboxes__input')) {
    styles.push(getComputedStyle(el.labels[0], '::before'));
  }
  const outlined = (s) => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
    && s.outlineColor === yellow;
  const shows = (s) => outlined(s) || s.backgroundColor === yellow || s.boxShadow.includes(yellow)
    || s.borderColor === yellow;
  return {
    visible: styles.some(shows),
    styles: styles.map(s => `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; `
      + `background: ${s.backgroundColor}; box-shadow: ${s.boxShadow}`),
  };
}"""


def focused(page) -> Focused | None:
    data = page.evaluate(FOCUSED_JS)
    return Focused(**data) if data else None


def assert_focus_visible(page) -> None:
    """The focused element shows GOV.UK's focus style, so a sighted keyboard user can see it."""
    result = page.evaluate(FOCUS_VISIBLE_JS, FOCUS_YELLOW)
    assert result["visible"], f"No visible focus indicator on {focused(page)}: {result['styles']}"


def tab_to(
    page, predicate: Callable[[Focused], bool], max_tabs: int = 200, *, backwards: bool = False
) -> Focused:
    """Press Tab (or Shift+Tab) until the focused element matches, and check its focus is visible."""
    key = "Shift+Tab" if backwards else "Tab"
    seen: list[str] = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        now = focused(page)
        if now is not None and predicate(now):
            assert_focus_visible(page)
            return now
        seen.append(str(now))
    raise AssertionError(
        f"Pressed {key} {max_tabs} times on {page.url} without reaching the element; focus went through:\n"
        + "\n".join(seen[-40:])
    )


def press(page, key: str, *, navigates: bool = False) -> None:
    """Press a key; with `navigates`, wait for the page it loads."""
    if navigates:
        with page.expect_navigation():
            page.keyboard.press(key)
        page.wait_for_load_state()
    else:
        page.keyboard.press(key)


def type_text(page, text: str) -> None:
    page.keyboard.type(text)


def keyboard_sign_in(page, *, username: str, password: str = PASSWORD) -> None:
    page.goto("/account/sign-in/")
    tab_to(page, field("id_username"))
    type_text(page, username)
    tab_to(page, field("id_password"))
    type_text(page, password)
    press(page, "Enter", navigates=True)
    assert "/account/sign-in/" not in page.url, f"Sign-in as {username} failed: {page_text(page)[:500]}"


# Predicates for `tab_to`.


def link(text: str, *, exact: bool = True) -> Callable[[Focused], bool]:
    """A link whose text (with any visually hidden part) is `text`."""
    return lambda f: f.tag == "a" and (f.text == text if exact else text in f.text)


def button(text: str, *, exact: bool = True) -> Callable[[Focused], bool]:
    return lambda f: (
        (f.tag == "button" or (f.tag == "input" and f.type == "submit"))
        and (f.text == text if exact else text in f.text)
    )


def field(element_id: str) -> Callable[[Focused], bool]:
    """A form control, by its id (the GOV.UK field include gives every control id_<name>)."""
    return lambda f: f.id == element_id


def radio_named(name: str) -> Callable[[Focused], bool]:
    """Any radio of the group `name`: Tab stops once in a radio group, arrows then choose."""
    return lambda f: f.tag == "input" and f.type == "radio" and f.name == name


def summary(text: str, *, exact: bool = False) -> Callable[[Focused], bool]:
    """The summary of a GOV.UK details component."""
    return lambda f: f.tag == "summary" and (f.text == text if exact else text in f.text)


def choose_radio(page, *, name: str, label: str) -> None:
    """Tab into a radio group, then move with the arrow keys until `label` is chosen."""
    now = tab_to(page, radio_named(name))
    for _ in range(20):
        if now.label == label:
            if not now.checked:
                page.keyboard.press("Space")
            assert_focus_visible(page)
            return
        page.keyboard.press("ArrowDown")
        now = focused(page)
    raise AssertionError(f"The radio group {name!r} has no option labelled {label!r}")


def choose_option(page, *, element_id: str, label: str) -> None:
    """Focus a <select> and choose an option with the keyboard (arrow keys, as a person would)."""
    tab_to(page, field(element_id))
    options = page.evaluate(
        "(id) => Array.from(document.getElementById(id).options).map(o => o.textContent.trim())", element_id
    )
    assert label in options, f"{element_id} has no option {label!r}: {options}"
    wanted = options.index(label)
    for _ in range(len(options) * 2):
        index = page.evaluate("(id) => document.getElementById(id).selectedIndex", element_id)
        if index == wanted:
            return
        page.keyboard.press("ArrowDown" if index < wanted else "ArrowUp")
    raise AssertionError(f"Could not choose {label!r} in {element_id} with the arrow keys")


def worker_runs() -> None:
    """The worker takes every queued file (the live server's thread queued them on its own backend)."""
    from reporting.models import ExportRender, RenderStatus
    from reporting.tasks import export_render_task

    for pk in ExportRender.objects.filter(status=RenderStatus.QUEUED).values_list("pk", flat=True):
        export_render_task.call(pk)
