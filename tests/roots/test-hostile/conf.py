project = "Hostile"
extensions = ["sphinx_numpy_learn"]
nb_execution_mode = "off"
html_baseurl = "https://example.org/docs/"
learn_tiers = [
    {"name": "beginner", "label": "<b onmouseover=alert(1)>Beginner</b>",
     "criterion": "\"><script>alert('criterion')</script>"},
]
exclude_patterns = ["_build"]
