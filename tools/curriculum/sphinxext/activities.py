"""``{activity}``: a timed activity in a chapter's trainer notes.

```markdown
:::{activity} Sort the dialogues
:minutes: 10

1. Hand out the cards ...
:::
```

The trainer edition shows a boxed "Activity · 10 minutes" block with the activity's
name and steps; the participant edition drops it like every trainer-only node. The
model reads the same blocks (:func:`curriculum.model.find_activities`), so the
checker can add up each chapter's slot (AG012, AG013) and the trainer's agenda can
list them.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..model import ACTIVITY_DIRECTIVE, parse_minutes
from .editions import TRAINER_ONLY
from .exercises import minutes_label
from .i18n import _


def activity_label(minutes: int | None) -> str:
    """``Activity · 10 minutes`` (just ``Activity`` without valid minutes)."""
    label = str(_("Activity"))
    return f"{label} · {minutes_label(minutes)}" if minutes else label


class ActivityDirective(SphinxDirective):
    """A trainer-only, timed activity; the checker reports missing or invalid minutes."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"minutes": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        minutes = parse_minutes(self.options.get("minutes"))
        node = nodes.admonition(classes=["trainer-note", "activity", TRAINER_ONLY])
        node["minutes"] = minutes or 0
        self.set_source_info(node)
        label = activity_label(minutes)
        title = nodes.title(label, label)
        node += title
        name = self.arguments[0].strip()
        heading = nodes.paragraph(name, "", nodes.strong(name, name), classes=["activity-title"])
        self.set_source_info(heading)
        node += heading
        node += self.parse_content_to_nodes(allow_section_headings=False)
        return [node]


def setup(app: Sphinx) -> None:
    app.add_directive(ACTIVITY_DIRECTIVE, ActivityDirective)
