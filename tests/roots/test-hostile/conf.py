# Every setting that reaches a page or a script holds hostile text. The payloads
# come from payloads.json, which tests/test_hostile.py writes from its corpus before
# each build; without it (building this folder by hand) a short list stands in.
import json
from pathlib import Path

_PAYLOADS_FILE = Path(__file__).with_name("payloads.json")
if _PAYLOADS_FILE.is_file():
    P = json.loads(_PAYLOADS_FILE.read_text(encoding="utf-8"))
else:
    P = ["<script>__pwn()</script>", '"><img src=x onerror=__pwn()>', "{{ 7*'7' }}"]
ALL = " ".join(P)

project = "Hostile \"><script>__pwn()</script> {{ 7*'7' }} \\\"'\\\\ ${__pwn()}"
# Sphinx and the themes write html_title (by default built from project) as markup
# the site's owner trusts; ours reaches pages only through data attributes and JSON.
html_title = "Hostile input"
extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build", "payloads.json"]
html_baseurl = "https://example.org/docs/"
# Straight quotes, so the tests can compare shown text with what was written.
smartquotes = False
learn_execution_strict = False
nb_execution_timeout = 60
learn_tiers = [
    {"name": "beginner", "label": ALL, "criterion": ALL, "icon": "star", "color": "red"},
    {"name": "intermediate", "label": P[1], "criterion": P[0]},
    {"name": "advanced", "label": P[-1], "criterion": P[2]},
]
learn_contributor = {
    "repository": "https://github.com/org/repo\"><script>__pwn()</script>",
    "branch": ALL,
    "docs_path": P[1],
    "good_first_issue_label": ALL,
    "chat": "https://chat.example.org/?a=\"><svg onload=__pwn()>",
    "guide": "b-directive",
}
learn_launch = {
    "repository": "https://github.com/org/repo",
    "branch": ALL,
    "notebooks_path": P[1] + "/" + P[0],
    # http(s) addresses (anything else is refused), with markup in them.
    "binder": "https://mybinder.org/\"><svg/onload=__pwn()>",
    "jupyterhub": "https://hub.example.org/'><img/src=x/onerror=__pwn()>",
    "colab": True,
    # A relative address: no colon before the first slash, so no scheme.
    "jupyterlite": "javascript&colon;__pwn()//\"><img src=x onerror=__pwn()>",
    "custom": [
        {
            "label": ALL,
            "url": "https://x.example/?r={repository_url}&b={branch}&p={path}&d={docname}"
            "\"><script>__pwn()</script>",
        }
    ],
}
