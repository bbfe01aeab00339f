"""The guides' generated parts are current: the editors' guide lists exactly the fields the build checks,
and the templates guide exactly the names each page kind's template gets."""

import dataclasses
import re

import pytest

from conftest import NOW, REPO, copy_site
from golden_tree import SITE as GOLDEN
from wmpsite.build import pipeline, templates_doc
from wmpsite.build.kinds import KINDS
from wmpsite.build.render import Renderer
from wmpsite.content.content_types import describe
from wmpsite.core.kind import Kind
from wmpsite.core.page import Built


def test_content_guide_field_reference_is_current():
    text = (REPO / "docs/content.md").read_text(encoding="utf-8")
    reference = text.split("<!-- fields:start -->\n", 1)[1].split("<!-- fields:end -->", 1)[0]
    assert reference == describe(), (
        "docs/content.md is out of date: replace the part between the fields markers with the output "
        "of `python -m wmpsite.content.content_types`, or run `make docs`")


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return templates_doc.parts()


@pytest.mark.parametrize("name", ["every-page", "page-kinds", "views"])
def test_templates_guide_tables_are_current(name, generated):
    text = (REPO / "docs/templates.md").read_text(encoding="utf-8")
    assert templates_doc.between(text, name) == generated[name], (
        f"docs/templates.md's {name} table is out of date: run `make docs` and review `git diff docs`")


#: A story taken down before the build date, so that the plan has an `unpublished` page too.
TAKEN_DOWN = {"content/news/2026-08-01-taken-down.md": """---
title: A story taken down
date: 2026-08-01
summary: It was true for a while.
unpublish_on: 2026-10-01
---
Gone now.
"""}


@pytest.fixture(scope="module")
def golden_render(tmp_path_factory):
    """The golden force (every content kind) with a story taken down, checked and planned, and a Renderer."""
    site = copy_site(GOLDEN, tmp_path_factory.mktemp("docs") / "site", TAKEN_DOWN)
    checked = pipeline.check(site, now=NOW, cache=False)
    return checked, Renderer(checked.config, checked.force, checked.urls, checked.moment, KINDS, checked.feeds)


def test_every_builder_returns_the_context_the_guide_documents(golden_render):
    """Each page kind of the golden force's plan returns, on every page, the dataclass the guide lists
    for it; and every documented kind is planned there, so none is documented but never met."""
    checked, renderer = golden_render
    returned: dict[str, set[type]] = {}
    for page in checked.plan:
        built = renderer.builders[page.kind](renderer, page, page.location.site)
        assert isinstance(built, Built), page.kind
        returned.setdefault(page.kind, set()).add(type(built.context))
    assert returned == {kind: {cls} for kind, cls in templates_doc.page_kinds().items()}


def test_what_kinds_add_to_every_page_is_the_dataclass_the_guide_documents(golden_render):
    checked, renderer = golden_render
    page = checked.plan[0]
    for kind in (k for k in KINDS if k.every_page):
        assert type(kind.every_page(renderer, page, page.location.site)) is templates_doc.added_by(kind)


def test_a_builder_that_does_not_say_its_context_cannot_be_documented():
    def untyped(kit, page, site):
        return Built(None, "Notice board", "What the force has said lately.")

    with pytest.raises(TypeError, match=r"annotate it `-> Built\[SomeContext\]`"):
        templates_doc.page_kinds((Kind("notice board", builders={"notice-board": untyped}),))


def test_the_context_hands_templates_the_views_themselves(golden_render):
    """Fields become names shallowly: a template gets the view objects, not copies made into dicts."""
    checked, renderer = golden_render
    home = next(page for page in checked.plan if page.kind == "home")
    names = renderer.context(home)
    own = renderer.builders["home"](renderer, home, home.location.site).context
    assert {f.name for f in dataclasses.fields(own)} <= set(names)
    assert {"site", "page", "lpu", "team", "nav", "build", "alerts"} <= set(names) and "added" not in names
    assert names["news"] == own.news and all(dataclasses.is_dataclass(card) for card in names["news"])
    assert type(names["site"]).__name__ == "SiteView"


def test_every_picture_and_page_the_guides_link_to_is_in_the_repository():
    """The guides are read on the forge and in a checkout: a relative link that points nowhere is a
    broken picture or a dead end for the editor reading it."""
    missing = []
    for guide in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = re.sub(r"```.*?```|`[^`\n]*`", "", guide.read_text(encoding="utf-8"), flags=re.S)  # examples
        for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", text):
            if "://" in target or target.startswith(("mailto:", "/")):
                continue
            if not (guide.parent / target).exists():
                missing.append(f"{guide.relative_to(REPO)}: {target}")
    assert not missing, missing
