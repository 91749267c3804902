"""Collect Content Security Policy violations a page reports, from the console and the DOM."""

from playwright.sync_api import Page

_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def watch_csp(page: Page) -> list[str]:
    """Start watching; the returned list fills with console reports of violations."""
    console: list[str] = []
    page.add_init_script(_LISTENER)
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return console


def violations(page: Page, console: list[str]) -> list[str]:
    return console + page.evaluate("window.__cspViolations || []")
