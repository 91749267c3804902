"""axe-core in a page under our Content Security Policy, and what it reports.

The engine is the pinned npm package's built file, committed under tests/browser/vendor/
(package.json and package-lock.json pin it; `make vendor-axe` refreshes it), so the suite needs
no node. `add_script_tag` would inline it and the CSP would block it: evaluating the source
in the page (a DevTools call, not a script element) is not subject to the page's CSP.
"""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA: what the Norwegian universal design regulations require of the site.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => node.target.join(" ") + " : " + node.failureSummary),
  }));
}
"""


@cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[str]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    found = page.evaluate(_RUN, WCAG_21_AA)
    return [
        f"{item['id']} ({item['impact']}): {item['help']} — {'; '.join(item['nodes'][:5])}"
        for item in found
    ]
