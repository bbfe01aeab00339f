/* Find your neighbourhood team.
 *
 * Searches the index the build writes (find-your-team/teams.json, see wmpsite/features/finder.py)
 * by postcode (full, sector or district, any case and spacing) or place name (any case
 * and accents, partial or slightly misspelt), entirely in the browser. No dependencies.
 * Without JavaScript the form stays hidden and the page's A to Z does the job.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-finder]");
  if (!root || !window.fetch || !document.createElement("div").append) {
    return;
  }
  var form = root.querySelector("form");
  var input = root.querySelector("input[name=q]");
  var status = root.querySelector("[data-finder-status]");
  var results = root.querySelector("[data-finder-results]");
  var phone = root.getAttribute("data-phone");
  var index = null;
  var loading = null;

  // --- the index ---------------------------------------------------------------------

  function load() {
    if (!loading) {
      loading = fetch(root.getAttribute("data-index"), { cache: "no-cache" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("index: HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          data.places.forEach(function (place) {
            place.key = fold(place.name);
            place.words = place.key.split(" ");
          });
          index = data;
          return data;
        });
      loading.catch(function () {
        loading = null;  // try again next time
      });
    }
    return loading;
  }

  // As place_key() in wmpsite/features/finder.py: no accents or case, no apostrophes, single spaces.
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2019]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  // --- postcodes ---------------------------------------------------------------------

  var DISTRICT = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

  // Read a postcode, or part of one; null when the text is not shaped like one.
  function parsePostcode(text) {
    var spaced = text.toUpperCase().replace(/[^A-Z0-9]+/g, " ").trim();
    var compact = spaced.replace(/ /g, "");
    var m;
    if (!/^[A-Z]{1,2}[0-9]/.test(compact)) {
      return null;
    }
    m = compact.match(/^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9])([A-Z]{2})$/);  // B302TA, B30 2TA
    if (m) {
      return { label: m[1] + " " + m[2] + m[3], district: m[1], sector: m[1] + " " + m[2] };
    }
    m = spaced.match(/^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])[A-Z]?$/);  // B30 2, B30 2T
    if (m) {
      return { label: m[1] + " " + m[2], district: m[1], sector: m[1] + " " + m[2] };
    }
    if (DISTRICT.test(compact) && index.districts[compact]) {  // B30 (not B3 sector 0)
      return { label: compact, district: compact, sector: null };
    }
    m = compact.match(/^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9])[A-Z]?$/);  // B302, B302T
    if (m && index.districts[m[1]]) {
      return { label: m[1] + " " + m[2], district: m[1], sector: m[1] + " " + m[2] };
    }
    return { label: spaced, district: DISTRICT.test(compact) ? compact : null, sector: null };
  }

  // What to say when more than one team claims the same sector: which is yours is down to the street.
  function sharedNote(code, count) {
    return (count === 2 ? "Both teams" : "These " + count + " teams") + " cover part of " + code +
      ": see the areas each one covers below. If you cannot tell which is yours, call " + phone +
      " and ask for the neighbourhood team for your street.";
  }

  // A sector matches the teams naming it, else those covering its whole district,
  // else every team covering part of the district; a district matches every team covering any of it.
  function byPostcode(code) {
    var district = code.district && index.districts[code.district];
    if (code.sector && index.sectors[code.sector]) {
      var named = index.sectors[code.sector];
      return { teams: named, note: named.length > 1 ? sharedNote(code.sector, named.length) : "" };
    }
    if (!district) {
      return { teams: [], note: "" };
    }
    if (code.sector && district.whole.length) {
      return { teams: district.whole, note: district.whole.length > 1 ? sharedNote(code.district, district.whole.length) : "" };
    }
    if (code.sector) {
      return { teams: district.any, note: "We could not match " + code.sector +
        " exactly. These teams cover parts of " + code.district + ": check the areas each one covers." };
    }
    return {
      teams: district.any,
      note: district.any.length > 1 ? "Several teams cover parts of " + code.district +
        ". Search for your full postcode, or check the areas each one covers." : ""
    };
  }

  // --- place names -------------------------------------------------------------------

  // Edit distance, counting a swap of two neighbouring letters as one edit.
  function distance(a, b) {
    var rows = [], i, j, cost;
    for (i = 0; i <= a.length; i++) {
      rows.push([i]);
    }
    for (j = 1; j <= b.length; j++) {
      rows[0][j] = j;
    }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        cost = a[i - 1] === b[j - 1] ? 0 : 1;
        rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
        }
      }
    }
    return rows[a.length][b.length];
  }

  // 0 same name, 1 the name starts with it, 2 it starts at a word of the name ("merry hill" in
  // "penn and merry hill"), 3 and more a near miss (3 + edits); Infinity no match.
  function score(key, place) {
    if (place.key === key) {
      return 0;
    }
    if (place.key.indexOf(key) === 0) {
      return 1;
    }
    if ((" " + place.key).indexOf(" " + key) !== -1) {
      return 2;
    }
    if (key.length < 4) {
      return Infinity;
    }
    var allowed = key.length >= 8 ? 2 : 1;
    var edits = Math.min(
      distance(key, place.key),
      distance(key, place.key.slice(0, key.length)),
      Math.min.apply(null, place.words.map(function (word) { return distance(key, word); }))
    );
    return edits <= allowed ? 3 + edits : Infinity;
  }

  // Every place the text names or starts a word of, the same name first: an exact match must not
  // hide another place of that name ("Merry Hill" is in Dudley and in Penn and Merry Hill).
  // Near misses only when nothing matches so: the closest of them.
  function byPlace(text) {
    var key = fold(text);
    var best = Infinity, found = [], teams = [], matched = {};
    if (key.length < 2) {
      return { teams: [], note: "" };
    }
    var scored = index.places.map(function (place, n) {
      return { place: place, score: score(key, place), n: n };
    }).filter(function (s) { return s.score !== Infinity; });
    scored.forEach(function (s) { best = Math.min(best, s.score); });
    found = scored.filter(function (s) { return best < 3 ? s.score < 3 : s.score === best; })
      .sort(function (a, b) { return a.score - b.score || a.n - b.n; })
      .map(function (s) { return s.place; });
    found.forEach(function (place) {
      place.teams.forEach(function (n) {
        if (!(n in matched)) {
          matched[n] = [];
          teams.push(n);
        }
        matched[n].push(place.name);
      });
    });
    return {
      teams: teams, matched: matched,
      note: best >= 3 && teams.length ? "No area is called \u201c" + text + "\u201d; these are the closest names." : ""
    };
  }

  // --- showing results ---------------------------------------------------------------

  function el(name, attrs, children) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.append(child);
      }
    });
    return node;
  }

  function teamCard(team, matched) {
    var contacts = el("dl", { "class": "contact__list" });
    if (team.phone) {
      contacts.append(el("dt", {}, ["Phone"]), el("dd", {}, [el("a", { href: team.phoneHref }, [team.phone])]));
    } else {
      contacts.append(el("dt", {}, ["Phone"]), el("dd", {}, [
        el("a", { href: "tel:" + phone }, [phone]), " (ask for the " + team.name + " team)"]));
    }
    if (team.email) {
      contacts.append(el("dt", {}, ["Email"]), el("dd", {}, [el("a", { href: "mailto:" + team.email }, [team.email])]));
    }
    var meeting = team.meeting
      ? el("p", {}, [el("strong", {}, ["Next meeting: "]), team.meeting.title + ", ",
        el("time", { datetime: team.meeting.iso }, [team.meeting.when]), ", " + team.meeting.location + "."])
      : el("p", {}, ["No meetings are planned at the moment: contact the team to raise a concern."]);
    var covers = team.areas.join(", ") + (team.postcodes.length ? " (postcodes " + team.postcodes.join(", ") + ")" : "");
    return el("li", { "class": "card finder__team" }, [
      el("h3", { "class": "card__title" }, [el("a", { href: team.url }, [team.name + " neighbourhood team"])]),
      el("p", { "class": "card__meta" }, [team.lpu + (matched ? " \u00b7 matches " + matched.join(", ") : "")]),
      el("p", {}, ["Covers " + covers + "."]),
      contacts,
      meeting
    ]);
  }

  function noMatch(text) {
    return [
      el("h2", {}, ["No team found for \u201c" + text + "\u201d"]),
      el("p", {}, ["Check the postcode or the spelling of the area, or find your area in the ",
        el("a", { href: "#places" }, ["places A to Z"]), " or the ",
        el("a", { href: "#postcodes" }, ["postcode districts"]), " below."]),
      el("p", {}, ["You can also call ", el("a", { href: "tel:" + phone }, [phone]),
        " and ask for your neighbourhood team."])
    ];
  }

  function show(text) {
    var query = text.trim();
    results.replaceChildren();
    if (!query) {
      status.textContent = "Type a postcode or the name of your area.";
      return;
    }
    var code = parsePostcode(query);
    var found = code ? byPostcode(code) : byPlace(query);
    var label = code ? code.label : query;
    var count = found.teams.length;
    if (!count) {
      status.textContent = "No team found for " + label + ".";
      results.replaceChildren.apply(results, noMatch(query));
      return;
    }
    status.textContent = (count === 1 ? "1 team" : count + " teams") + " found for " + label + ".";
    var list = el("ul", { "class": "cards finder__list" }, found.teams.map(function (n) {
      return teamCard(index.teams[n], found.matched && found.matched[n]);
    }));
    results.append(
      el("h2", {}, [(count === 1 ? "Your neighbourhood team" : "Neighbourhood teams") + " for \u201c" + label + "\u201d"]));
    if (found.note) {
      results.append(el("p", { "class": "finder__note" }, [found.note]));
    }
    results.append(list);
  }

  function run(text) {
    status.textContent = "Searching\u2026";
    return load().then(function () {
      show(text);
    }, function () {
      status.textContent = "Sorry, the search is not working at the moment. " +
        "Find your area in the lists below, or call " + phone + ".";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (window.history && history.replaceState) {
      history.replaceState(null, "", "?q=" + encodeURIComponent(text.trim()));
    }
    run(text);
  });

  root.hidden = false;
  load();
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) {
    input.value = given;
    run(given);
  }
})();
