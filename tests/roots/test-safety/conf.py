extensions = ["myst_parser", "curriculum.sphinxext"]
root_doc = "handbook/index"
project = "Safety"
exclude_patterns = ["_build"]
