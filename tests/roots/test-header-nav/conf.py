# The header's links as real sites have them: folders two deep, a toctree entry with
# its own title and one with "self", an external address in the toctree and in
# external_links, the index, a formula in a title, markup-like text in titles, and a
# page no toctree lists.
project = "Header links"
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
exclude_patterns = ["_build"]
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath"]
html_theme_options = {
    "header_links_before_dropdown": 3,
    "external_links": [{"name": "NumPy home", "url": "https://numpy.org/"}],
}
