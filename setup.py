"""Packaging glue that pyproject.toml cannot express (everything else is in pyproject.toml).

The pages live in ./frontend_templates (the folder name the project card asks for); the wheel
installs that same folder as neighbourly/frontend_templates, where settings.py looks first, so an
installed Neighbourly serves its pages without the source tree. Static files are already inside
the package (neighbourly/static).
"""

from setuptools import find_namespace_packages, setup

PACKAGE_DATA = ["*.geojson", "*.csv", "*.css", "*.js", "*.svg", "*.txt", "*.html", "*.png", "*.ico"]

setup(
    packages=[*find_namespace_packages(include=["neighbourly*"], exclude=["*.__pycache__"]),
              "neighbourly.frontend_templates"],
    package_dir={"neighbourly.frontend_templates": "frontend_templates"},
    package_data={"": PACKAGE_DATA, "neighbourly.frontend_templates": ["*.html", "**/*.html"]},
)
