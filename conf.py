"""Sphinx configuration: the repository root is the source directory.

Language-dependent settings are applied by the curriculum extension in event
handlers, because ``-D language=ar`` is applied after this file runs.
"""

project = "Migration Dialogues Training Curriculum"
author = "Curriculum authors"
copyright = "%Y, the curriculum authors"
root_doc = "handbook/index"

# The book, as the cover page and the output file names show it.
curriculum_slug = "migration-dialogues"
curriculum_subtitle = "A handbook for officials preparing for regional migration dialogues"
curriculum_organisation = (
    "For the Ministry of Foreign Affairs and International Cooperation of Libya "
    "and the Mansour Rashid Al-Kikhia Institute for Diplomatic Studies"
)
curriculum_repository = "https://github.com/curriculum-handbooks/migration-dialogues"

extensions = ["myst_parser", "curriculum.sphinxext"]

# Only the curriculum is source: README, tests, tools, builds and caches never are.
include_patterns = ["handbook/**", "exercises/**"]
exclude_patterns = ["_build", ".venv", "handbook/data/**"]

myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline", "attrs_block", "substitution"]
myst_heading_anchors = 3
myst_footnote_transition = False

language = "en"
locale_dirs = ["locales/"]
gettext_compact = False
gettext_uuid = False
gettext_location = True

html_theme = "sphinx_book_theme"
html_title = project
html_last_updated_fmt = "%d %B %Y"
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "repository_url": curriculum_repository,
    "use_repository_button": True,
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "extra_footer": "",
}
