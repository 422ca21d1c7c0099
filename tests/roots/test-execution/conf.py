project = "Execution"
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
exclude_patterns = ["_build"]
learn_launch = {
    "repository": "https://github.com/example-org/example-tutorials",
    "branch": "notebooks",
    "notebooks_path": "content",
    "binder": "https://mybinder.org",
    "jupyterhub": "https://hub.example.org",
    "colab": True,
    "jupyterlite": "lite",
    "custom": [
        {"label": "<b>Deepnote</b>", "url": "https://deepnote.example/launch?url={repository_url}/blob/{branch}/{path}"}
    ],
}
