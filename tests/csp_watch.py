"""Every Playwright page of the test suite reports Content-Security-Policy violations; a test that
causes one fails (see the autouse fixture in conftest)."""

import threading

# Runs in every page before its own scripts; Playwright's init scripts are not subject to the page's CSP.
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile || location.href}:${e.lineNumber}`;
  window.__kohtaamoCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


class CspViolations:
    def __init__(self) -> None:
        self._seen: list[str] = []
        self._lock = threading.Lock()

    def add(self, text: str) -> None:
        with self._lock:
            self._seen.append(text)

    def take(self) -> list[str]:
        with self._lock:
            seen, self._seen = self._seen, []
        return seen


class CspWatchingBrowser:
    """The Playwright browser, whose new contexts report every CSP violation to `violations`."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.violations = CspViolations()

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        watch_context(context, self.violations)
        return context

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


def watch_context(context, violations: CspViolations) -> None:
    context.expose_function("__kohtaamoCspViolation", violations.add)
    context.add_init_script(LISTEN)

    def console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.add(message.text)

    context.on("console", console)
