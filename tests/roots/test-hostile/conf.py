project = "Hostile\"><script>alert('project')</script>"
extensions = ["sphinx_numpy_learn"]
nb_execution_mode = "off"
html_baseurl = "https://example.org/docs/"
learn_tiers = [
    {"name": "beginner", "label": "<b onmouseover=alert(1)>Beginner</b>",
     "criterion": "\"><script>alert('criterion')</script>"},
]
exclude_patterns = ["_build"]
learn_contributor = {
    "repository": "https://github.com/org/repo\"><script>alert('repo')</script>",
    "good_first_issue_label": "\"><img src=x onerror=alert('label')>",
    "chat": "https://chat.example.org/?a=\"><script>alert('chat')</script>",
}
