/* Full-text search of the main site, with the Pagefind bundles the build writes
 * under /pagefind/ (see wmpsite/outputs/search.py and docs/search.md). Our own small interface on
 * Pagefind's JavaScript API: a form, a polite status line, a list of results.
 * Without JavaScript the page says so and links to the A to Z and the news.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-search]");
  if (!root || !document.createElement("div").replaceChildren) {
    return;
  }
  var form = root.querySelector("form");
  var input = root.querySelector("input[name=q]");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var nojs = document.querySelector("[data-search-nojs]");
  var PAGE = 10;
  // How Pagefind ranks: a word in a page's title counts five times a word of its text (Pagefind's
  // default, said here so it stays), and a word in what an advice page is about (its title and
  // summary, the `advice` metadata of advice.html) ten times more, so a resident who searches for
  // a crime finds how to prevent it before the places where it is a local priority. Every part of
  // the index ranks alike.
  var RANKING = { metaWeights: { title: 5, advice: 10 } };
  var engine = null;
  var current = null;  // {query, results, shown}
  var asked = 0;       // so a slow answer to an old query is dropped

  function pagefind() {
    if (!engine) {
      // The index comes in parts (shards.json names them, the first is the main one):
      // import the first part's Pagefind and merge the others into it.
      var bundle = root.getAttribute("data-bundle");
      engine = fetch(bundle + "shards.json").then(function (response) {
        if (!response.ok) {
          throw new Error("search index list: HTTP " + response.status);
        }
        return response.json();
      }).then(function (parts) {
        return import(bundle + parts[0] + "pagefind.js").then(function (pf) {
          return pf.options({ baseUrl: root.getAttribute("data-base"), excerptLength: 24, ranking: RANKING }).then(function () {
            return Promise.all(parts.slice(1).map(function (part) {
              return pf.mergeIndex(bundle + part, { ranking: RANKING });
            }));
          }).then(function () {
            return pf;
          });
        });
      });
      engine.catch(function () {
        engine = null;
      });
    }
    return engine;
  }

  function el(name, attrs, children) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  // Pagefind's excerpt is escaped text with <mark> around the words found: keep exactly that.
  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
    var out = el("p", { "class": "search__excerpt" });
    parsed.firstChild.childNodes.forEach(function (node) {
      out.append(node.nodeName === "MARK" ? el("mark", {}, [node.textContent]) : node.textContent);
    });
    return out;
  }

  function item(data) {
    return el("li", { "class": "search__result" }, [
      el("h2", { "class": "search__title" }, [el("a", { href: data.url }, [(data.meta && data.meta.title) || data.url])]),
      excerpt(data.excerpt || "")
    ]);
  }

  function showMore(focus) {
    var batch = current.results.slice(current.shown, current.shown + PAGE);
    current.shown += batch.length;
    var mine = current;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (items) {
      if (mine !== current) {
        return;
      }
      var nodes = items.map(item);
      nodes.forEach(function (node) { list.append(node); });
      more.hidden = current.shown >= current.results.length;
      if (focus && nodes.length) {
        nodes[0].querySelector("a").focus();
      }
    });
  }

  function failed() {
    status.replaceChildren("Sorry, search is not working at the moment. ");
    nojs.hidden = false;
  }

  function search(query) {
    var mine = ++asked;
    query = query.trim();
    list.replaceChildren();
    more.hidden = true;
    current = null;
    if (!query) {
      status.textContent = "Type a word or two to search for.";
      return Promise.resolve();
    }
    status.textContent = "Searching\u2026";
    return pagefind().then(function (pf) {
      return pf.search(query);
    }).then(function (found) {
      if (mine !== asked) {
        return;
      }
      var count = found.results.length;
      current = { query: query, results: found.results, shown: 0 };
      return showMore(false).then(function () {
        // Said once the first results are on the page, so both arrive together.
        if (mine !== asked) {
          return;
        }
        status.textContent = count === 0 ? "No results for \u201c" + query + "\u201d. Check the spelling, or try other words."
          : (count === 1 ? "1 result" : count + " results") + " for \u201c" + query + "\u201d.";
      });
    }).catch(function () {
      if (mine === asked) {
        failed();
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (window.history && history.pushState) {
      history.pushState(null, "", "?q=" + encodeURIComponent(input.value.trim()));
    }
    search(input.value);
  });
  more.querySelector("button").addEventListener("click", function () {
    showMore(true);
  });
  window.addEventListener("popstate", function () {
    input.value = new URLSearchParams(window.location.search).get("q") || "";
    search(input.value);
  });

  nojs.hidden = true;
  root.hidden = false;
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) {
    input.value = given;
    search(given);
  }
})();
