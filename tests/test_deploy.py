"""The sites' pipeline in deploy/: the GitHub Actions and GitLab CI files valid against the published
schemas, and the jobs deploy/matrix.py makes from the list of forces: a job for each separately
deployable site of each force, one posting job per force after all of that force's sites."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys

import pytest
import yaml

from conftest import REPO

DEPLOY = REPO / "deploy"
CHECKER = [sys.executable, "-m", "check_jsonschema"]
spec = importlib.util.spec_from_file_location("matrix", DEPLOY / "matrix.py")
matrix = importlib.util.module_from_spec(spec)
spec.loader.exec_module(matrix)


def schema_errors(schema: str, path) -> str:
    done = subprocess.run([*CHECKER, "--builtin-schema", schema, str(path)], capture_output=True, text=True)
    return "" if done.returncode == 0 else done.stdout + done.stderr


def test_the_ci_files_are_valid_workflows():
    assert not schema_errors("vendor.github-workflows", DEPLOY / "github" / "sites.yml")
    assert not schema_errors("vendor.gitlab-ci", DEPLOY / "gitlab" / ".gitlab-ci.yml")


def test_the_schema_check_would_see_a_mistake(tmp_path):
    broken = tmp_path / "sites.yml"
    broken.write_text((DEPLOY / "github" / "sites.yml").read_text().replace("runs-on:", "runs_on:", 1))
    assert "plan" in schema_errors("vendor.github-workflows", broken)


@pytest.fixture
def two_forces(tmp_path):
    listed = tmp_path / "forces.toml"
    listed.write_text('[[force]]\nid = "testshire"\nsource = "tests/sites/minimal"\n\n'
                      '[[force]]\nid = "golden"\nsource = "tests/sites/golden"\n')
    return listed


def test_a_job_for_each_site_of_each_force_and_one_poster_per_force(two_forces):
    sites, posting = matrix.jobs(two_forces)
    assert [(job["force"], job["site"]) for job in sites] == [
        ("testshire", "main"), ("testshire", "riverside"), ("golden", "main"), ("golden", "riverside")]
    assert [force["id"] for force in posting] == ["testshire", "golden"]


def test_the_gitlab_child_pipeline_is_valid_and_posts_after_its_own_sites(two_forces, tmp_path):
    child = tmp_path / "jobs.yml"
    child.write_text(matrix.gitlab(*matrix.jobs(two_forces)))
    assert not schema_errors("vendor.gitlab-ci", child)
    jobs = yaml.safe_load(child.read_text())
    post = jobs["post testshire"]
    assert post["needs"] == ["site testshire main", "site testshire riverside"]
    assert post["resource_group"] == "post-testshire"  # never two posters of one force at once
    assert "--site riverside" in " ".join(jobs["site testshire riverside"]["script"])


def test_a_scheduled_run_builds_only_forces_with_something_due(tmp_path):
    now = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.timezone.utc)
    assert matrix.due(tmp_path, now)  # never built: build
    (tmp_path / "state").mkdir()
    record = tmp_path / "state" / "next-change.json"
    record.write_text(json.dumps({"next_change": "2026-12-04T13:00:00+00:00"}))
    assert not matrix.due(tmp_path, now)
    record.write_text(json.dumps({"next_change": "2026-12-04T11:59:00+00:00"}))
    assert matrix.due(tmp_path, now)
    record.write_text(json.dumps({"next_change": None}))  # nothing will ever change by itself
    assert not matrix.due(tmp_path, now)


def test_posting_gets_only_the_secrets_its_accounts_name():
    names = matrix.secrets("west-midlands")
    assert "WMP_X_MAIN_API_KEY" in names and "WMP_BLUESKY_MAIN_APP_PASSWORD" in names
    assert all(name.startswith("WMP_") for name in names)


def test_every_force_listed_has_a_site_toml_and_an_id_of_its_own(tmp_path):
    for force in matrix.forces():
        assert (REPO / force["source"] / "site.toml").is_file(), force
    listed = tmp_path / "forces.toml"
    listed.write_text('[[force]]\nid = "a"\nsource = "."\n[[force]]\nid = "a"\nsource = "."\n')
    with pytest.raises(SystemExit, match="an id of its own"):
        matrix.forces(listed)
