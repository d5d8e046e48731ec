extensions = ["myst_parser", "curriculum.sphinxext"]
root_doc = "handbook/index"
project = "Test course"
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build", "handbook/data/**"]
html_theme = "sphinx_book_theme"
