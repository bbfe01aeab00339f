"""The editors' guide lists exactly the fields the build checks."""

from conftest import REPO
from wmpsite.content.content_types import describe


def test_content_guide_field_reference_is_current():
    text = (REPO / "docs/content.md").read_text(encoding="utf-8")
    reference = text.split("<!-- fields:start -->\n", 1)[1].split("<!-- fields:end -->", 1)[0]
    assert reference == describe(), (
        "docs/content.md is out of date: replace the part between the fields markers with the output "
        "of `python -m wmpsite.content.content_types`")
