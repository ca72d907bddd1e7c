"""The Content-Security-Policy of every built page: only our own origin, inline scripts allowed by hash.

Pagefind needs 'wasm-unsafe-eval'. The same policy, as an HTTP header for hosts that can send one, is documented
in the README; the <meta> version is what protects pages on hosts that cannot (GitHub Pages).
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S)

BASE_POLICY = (
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def script_hashes(html: str) -> list[str]:
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    }
    return sorted(hashes)


def policy_for(html: str) -> str:
    scripts = " ".join(["'self'", *script_hashes(html), "'wasm-unsafe-eval'"])
    return "; ".join([*BASE_POLICY, f"script-src {scripts}"])


def with_csp_meta(html: str) -> str:
    """Insert the policy as the first element of <head>, before any script it governs."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return re.sub(r"<head>", "<head>\n" + meta, html, count=1)
