"""Packaging step the declarative settings cannot say: compile the interface catalogues.

The wheel carries ``curriculum/locale/<lang>/LC_MESSAGES/curriculum.mo`` compiled from the
``.po`` files, so an installed builder never needs to write into its own package folder.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path(self.build_lib, "curriculum", "locale").glob("*/LC_MESSAGES/*.po"):
            with po.open("rb") as source:
                catalog = read_po(source)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)


setup(cmdclass={"build_py": BuildWithCatalogues})
