extensions = ["curriculum.sphinxext.toctree"]
project = "Navigation"
html_theme = "sphinx_book_theme"
