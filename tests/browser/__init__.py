"""Real-browser tests of the built site (Chromium driven by Playwright): run with `pytest tests/browser`."""
