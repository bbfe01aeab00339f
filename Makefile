# wmpsite: build, serve and test.
#
#   make site         build the demo force into _site/
#   make serve        build, serve and rebuild on change
#   make test         install the test tools when missing, run the whole suite
#   make screenshots  rebuild docs/images/*.png from the demo
#   make cms-screenshots  rebuild docs/editors.md's pictures of the content manager
#   make golden       rewrite tests/golden/ from the golden force (review the diff first)
#   make docs         rewrite the generated tables of docs/content.md and docs/templates.md
#   make translations  extract the interface's strings, update every language's catalogue (docs/languages.md)
#   make accessibility  test the demo with vnu and axe, write the record its accessibility statement shows
#
# Works on a fresh machine with Python 3.11 and node/npm; `make test` installs
# Debian chromium and a Java runtime with apt-get when they are missing.
# Installation steps leave stamp files in .venv/ and node_modules/, so they run
# again only when pyproject.toml or package-lock.json change.

PYTHON ?= python3
VENV   ?= .venv
VPY    := $(VENV)/bin/python
PYTEST_ARGS ?= -q

# Playwright drives Debian's /usr/bin/chromium; it must never fetch a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: site serve test test-tools screenshots cms-screenshots golden docs clean help

help:
	@sed -n '3,11p' Makefile | sed 's/^# \{0,1\}//'

$(VPY):
	$(PYTHON) -m venv $(VENV)

# The [test] stamp implies the plain one: '.[test]' installs everything '.' does.
$(VENV)/.stamp-site: pyproject.toml | $(VPY)
	$(VPY) -m pip install -q -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml | $(VPY)
	$(VPY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.stamp-site

# The demo's site.toml has [cms]: its build copies Decap CMS from node_modules into /admin/.
# The script fetches the version package-lock.json pins, without npm (`make test` installs npm's).
node_modules/decap-cms/dist/decap-cms.js: package-lock.json
	$(PYTHON) scripts/fetch_decap.py
	touch $@

site: $(VENV)/.stamp-site node_modules/decap-cms/dist/decap-cms.js
	$(VPY) build.py build

serve: $(VENV)/.stamp-site node_modules/decap-cms/dist/decap-cms.js
	$(VPY) build.py serve

# Always run: the script checks each tool itself and takes a fraction of a
# second when all are there.
test-tools:
	bash scripts/install-test-tools.sh

test: $(VENV)/.stamp-test test-tools
	$(VPY) -m pytest $(PYTEST_ARGS)

screenshots: $(VENV)/.stamp-test test-tools
	$(VPY) scripts/screenshots.py

cms-screenshots: $(VENV)/.stamp-test test-tools
	$(VPY) scripts/cms_screenshots.py

# The golden output (docs/developers.md): tests/test_golden.py compares the golden force's
# build with tests/golden/ byte for byte; this writes that tree again once a diff is reviewed.
golden: $(VENV)/.stamp-site
	$(VPY) scripts/refresh_golden.py

# The guides' generated parts (docs/developers.md): docs/content.md's field reference from the
# content types, docs/templates.md's tables from the builders' context dataclasses. tests/test_docs.py
# fails while they differ from what this writes.
docs: $(VENV)/.stamp-site
	$(VPY) scripts/refresh_docs.py

clean:
	rm -rf _site ._site.* .pytest_cache .hypothesis

# The benchmark: a synthetic force built by wmpsite, Hugo and Pelican;
# writes docs/performance.md. Installs Hugo and Pelican into bench/.venv.
# Quick run: make bench BENCH_ARGS="--scale 2 --repeat 1"
.PHONY: bench
BENCH_ARGS ?=
bench: $(VENV)/.stamp-site
	$(VPY) bench/run.py $(BENCH_ARGS)

# Lighthouse: scores of the demo's home, LPU, team and find-your-team pages with
# npm lighthouse and Debian chromium; writes docs/quality.md.
.PHONY: accessibility
accessibility: $(VENV)/.stamp-test test-tools
	$(VPY) scripts/accessibility_audit.py

.PHONY: lighthouse
lighthouse: $(VENV)/.stamp-test test-tools
	$(VPY) scripts/lighthouse.py

# The interface's catalogues (docs/languages.md): extract every string babel.cfg names into the
# template wmpsite/locale/wmpsite.pot, then merge it into each language's .po for its translator.
# Locations name files only, so moving a line does not rewrite the catalogues.
.PHONY: translations
translations: $(VENV)/.stamp-site
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k N_ --add-location=file --sort-output \
		--project=wmpsite --copyright-holder="wmpsite contributors" -o wmpsite/locale/wmpsite.pot wmpsite templates
	$(VENV)/bin/pybabel -q update -i wmpsite/locale/wmpsite.pot -d wmpsite/locale -D wmpsite \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
