"""Command line: `build` (the default), `check`, `serve`, `post`, `reach` and `audit`.

Exit codes: 0 the site built (or checked) cleanly; 1 the content has errors,
listed on stderr; 2 the command was used wrongly; 3 wmpsite itself failed
(a bug: the message says how to report it); 4 the machine failed (a full disk,
a folder wmpsite may not read or write, a missing tool: the message names the
path and says what to do).
"""

from __future__ import annotations

import argparse
import os
import datetime as dt
import sys
import time
from pathlib import Path

from wmpsite.core.errors import BuildFailed, MachineFailed, Unexpected, UnknownSite, format_errors, machine_failure
from wmpsite.content.guarantee import GuaranteeFailed, format_warnings
from wmpsite.content.schedule import NEXT_CHANGE
from wmpsite.core.parallel import default_jobs
from wmpsite.core.progress import Progress

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG, EXIT_MACHINE = 0, 1, 2, 3, 4
MACHINE = "4 the machine failed: a full disk, a folder it may not write, a missing tool (the path and what to do)"
EPILOG = ("exit codes: 0 success; 1 the content has errors (all listed); "
          f"2 wrong usage; 3 an internal error in wmpsite; {MACHINE}")


def _date(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2025-03-14 or 2025-03-14T18:30, found {text!r}") \
            from None


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, like 8000, found {text!r}")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build a police force's main site and its local policing sites.",
        epilog=EPILOG)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                       help="the project folder, holding site.toml (default: this folder)")
        p.add_argument("--now", type=_date, metavar="DATE",
                       help="the build date that decides what is upcoming (default: SOURCE_DATE_EPOCH, else today)")
        p.add_argument("--debug", action="store_true", help="show Python tracebacks (for wmpsite developers)")
        p.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                       help=f"processes to use (default: every core, here {default_jobs()})")
        p.add_argument("--no-cache", dest="cache", action="store_false",
                       help="parse and convert every file afresh instead of reusing .cache/, and render every "
                            "page instead of keeping the last build's (the result is the same)")

    b = sub.add_parser("build", help="build the sites (the default command)", epilog=EPILOG,
                       description="Check the content and build every site into the output folder. The "
                                   "output folder is replaced only when the whole build succeeds.")
    common(b)
    b.add_argument("--output", type=Path, metavar="DIR", help="where to write the sites (default: site.toml's "
                                                                "[build] output, '_site')")
    b.add_argument("--site", metavar="NAME",
                   help="build only this separately deployable site into DIR/NAME, leaving the others there: "
                        "'main', or an LPU with its own base_url (for one job a site in a CI matrix)")
    b.add_argument("--quiet", action="store_true", help="print nothing but errors")
    b.add_argument("--verbose", action="store_true", help="print each stage's count and time")
    b.add_argument("--strict", action="store_true",
                   help="fail (exit 1) on warnings too: teams without a priority updated in the last 3 months "
                        "or without a named, contactable officer (the Neighbourhood Policing Guarantee), and "
                        "teams claiming the same postcode district")
    c = sub.add_parser("check", help="check the content and write nothing", epilog=EPILOG,
                       description="Load and check all content, as a build would, without writing anything.")
    common(c)
    c.add_argument("--strict", action="store_true",
                   help="fail (exit 1) on warnings too: teams without a priority updated in the last 3 months "
                        "or without a named, contactable officer (the Neighbourhood Policing Guarantee), and "
                        "teams claiming the same postcode district")
    s = sub.add_parser("serve", help="serve the sites on 127.0.0.1, showing every change at once", epilog=EPILOG,
                       description="Load and check the site once, keep it in memory and render each page when the "
                                   "browser asks for it, with live reload. A saved file is reloaded on its own; "
                                   "content with errors shows them in the browser. Nothing is written to disk.")
    common(s)
    s.add_argument("--port", type=_port, default=8000, help="the port to serve on, from 1 to 65535 (default 8000)")
    s.add_argument("--host", default="127.0.0.1", help="the address to serve on (default 127.0.0.1)")
    p = sub.add_parser("post", help="post new items of the social feeds (a dry run unless --live)",
                       epilog="exit codes: 0 success; 1 bad feeds or settings, or an account failed to post "
                              "(the ledger keeps what was posted); 2 wrong usage; 3 an internal error; " + MACHINE,
                       description="Read the built site's social feeds and post, per account in site.toml's "
                                   "[publish], the items it has not posted yet, recording each post in the "
                                   "ledger. Without --live, only show what would be posted. See docs/social.md.")
    p.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                   help="the project folder, holding site.toml (default: this folder)")
    p.add_argument("--output", type=Path, metavar="DIR",
                   help="the built sites (default: site.toml's [build] output, '_site')")
    p.add_argument("--live", action="store_true", help="post for real (default: a dry run)")
    p.add_argument("--delete-ended", action="store_true",
                   help="instead of posting, list the earlier posts of appeals that have ended, from the ledger; "
                        "with --live, delete them on X, Mastodon, Bluesky and Facebook, so nobody shares a stale appeal")
    p.add_argument("--json", action="store_true", help="print one JSON object a post, other messages on stderr")
    p.add_argument("--since", type=_date, metavar="DATE",
                   help="post items published from DATE on, and keep it as the accounts' cut-off (default: "
                        "the cut-off in the ledger; on an account's first run, the time of that run)")
    p.add_argument("--account", action="append", default=[], metavar="NETWORK:HANDLE",
                   help="post only this account, e.g. x:@WMPolice (repeatable)")
    p.add_argument("--max-wait", type=float, default=900.0, metavar="SECONDS",
                   help="the longest wait for a network's rate limit before the account gives up (default 900)")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks (for wmpsite developers)")
    p.set_defaults(jobs=1)
    r = sub.add_parser("reach", help="read what the posts reached and write the report for the communications team",
                       epilog="exit codes: 0 every account was read; 1 bad settings or readings, or an account could "
                              "not be read (the others' figures are kept and reported); 2 wrong usage; 3 an "
                              "internal error; " + MACHINE,
                       description="Read the public figures (reach, likes, reposts, replies) of the posts the ledger "
                                   "records, per account in site.toml's [publish], append them to "
                                   "<state>/reach/<account>.jsonl and write a report (HTML, SVG charts, CSV) "
                                   "outside the public site. Never posts. See docs/social.md, Reach.")
    r.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                   help="the project folder, holding site.toml (default: this folder)")
    r.add_argument("--report", type=Path, metavar="DIR",
                   help="where to write the report (default: reach-report/ in the project folder)")
    r.add_argument("--report-only", action="store_true",
                   help="read nothing from the networks: write the report from the figures kept")
    r.add_argument("--days", type=int, default=30, metavar="N",
                   help="read again the posts made in the last N days (default 30); older posts keep their "
                        "last figures")
    r.add_argument("--account", action="append", default=[], metavar="NETWORK:HANDLE",
                   help="read only this account, e.g. x:@WMPolice (repeatable)")
    r.add_argument("--debug", action="store_true", help="show Python tracebacks (for wmpsite developers)")
    r.set_defaults(jobs=1)
    a = sub.add_parser("audit", help="list social accounts that need attention",
                       epilog="exit codes: 0 the audit ran (with --strict: and found nothing); 1 the content has "
                              "errors, or --strict and an account needs attention; 2 wrong usage; 3 an internal "
                              "error in wmpsite; " + MACHINE,
                       description="Check the registry of the force's social accounts (site.toml, LPUs, teams, "
                                   "officers, units): accounts nobody owns, owners that no longer exist, a handle "
                                   "declared twice, officers who have left a team, and accounts whose social feed "
                                   "has had nothing new for [audit] quiet_days. See docs/social.md.")
    common(a)
    a.add_argument("--json", action="store_true", help="print the registry and the findings as one JSON object")
    a.add_argument("--strict", action="store_true", help="exit 1 when any account needs attention")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    if args.jobs < 1:
        make_parser().error("--jobs must be at least 1")
    try:
        return _run(args)
    except GuaranteeFailed as failed:  # build --strict with Neighbourhood Policing Guarantee warnings
        print(format_warnings(failed.sections, command="build", strict=True), file=sys.stderr)
        return EXIT_CONTENT
    except BuildFailed as failed:
        print(format_errors(failed.errors), file=sys.stderr)
        return EXIT_CONTENT
    except UnknownSite as exc:  # build --site NAME, no such site
        print(f"wmpsite build: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except MachineFailed as failed:  # a full disk, a folder it may not write, a missing tool: not the content
        if args.debug:
            raise
        print(f"wmpsite {args.command}: {failed}", file=sys.stderr)
        return EXIT_MACHINE
    except OSError as exc:  # the same, met outside the output folder (the content, the cache folder...)
        if args.debug:
            raise
        note = f"(It happened while working on the project in {args.source.resolve()}.)"
        print(f"wmpsite {args.command}: {machine_failure(exc, note=note)}", file=sys.stderr)
        return EXIT_MACHINE
    except Exception as exc:  # never show an editor a traceback
        if args.debug:
            raise
        what = str(exc) if isinstance(exc, Unexpected) else f"{type(exc).__name__}: {exc}"
        print(f"wmpsite failed unexpectedly: {what}\n"
              "This is a bug in wmpsite, not in your content. Run the same command with --debug "
              "and send the output to the site's developers.", file=sys.stderr)
        return EXIT_BUG


def _run(args: argparse.Namespace) -> int:
    from wmpsite.build import pipeline

    root = args.source.resolve()
    if args.command == "post" and args.delete_ended:  # posts of ended appeals
        from wmpsite.publish.ended import delete_ended_command
        return delete_ended_command(root, args.output.resolve() if args.output else None, live=args.live,
                                    as_json=args.json, only=tuple(args.account))
    if args.command == "post":
        from wmpsite.publish.publisher import post_command
        return post_command(root, args.output.resolve() if args.output else None, live=args.live,
                            as_json=args.json, since=args.since, only=tuple(args.account), max_wait=args.max_wait)
    if args.command == "reach":  # what the posts reached, for the communications team
        from wmpsite.publish.reach import reach_command
        if args.days < 1:
            make_parser().error("--days must be at least 1")
        return reach_command(root, report=args.report.resolve() if args.report else None,
                             report_only=args.report_only, days=args.days, only=tuple(args.account))
    if args.command == "audit":  # the force's social accounts
        from wmpsite.publish.audit import audit, format_report, to_json
        checked = pipeline.check(root, now=args.now, jobs=args.jobs, cache=args.cache)
        registry, findings = audit(checked)
        days = checked.config.audit.quiet_days
        print(to_json(registry, findings, days) if args.json else format_report(registry, findings, days))
        return EXIT_CONTENT if args.strict and findings else EXIT_OK
    if args.command == "check":
        checked = pipeline.check(root, now=args.now, jobs=args.jobs, cache=args.cache)
        if checked.warnings:  # the guarantee, overlapping teams: said, but no failure without --strict
            print(format_warnings(checked.warning_sections, command="check", strict=args.strict), file=sys.stderr)
            if args.strict:
                return EXIT_CONTENT
        print(f"No errors: {len(checked.plan)} pages would be built.")
        _say_waiting(checked)
        return EXIT_OK
    if args.command == "serve":
        from wmpsite.serve.server import serve
        serve(root, host=args.host, port=args.port, now=args.now, jobs=args.jobs)
        return EXIT_OK
    started = time.perf_counter()
    out = args.output.resolve() if args.output else None
    # A progress bar only for a person at a terminal: never in CI logs or with --quiet.
    bar = sys.stderr.isatty() and not args.quiet and not os.environ.get("CI")
    checked = pipeline.build(root, out, site=args.site, now=args.now, jobs=args.jobs, cache=args.cache,
                             progress=Progress(bar=bar, verbose=args.verbose), strict=args.strict)
    if not args.quiet:
        where = out or checked.config.root / checked.config.build.output
        if args.site:
            pages = sum(page.location.site == args.site for page in checked.plan)
            print(f"Built {pages} pages of the site '{args.site}' into {where / args.site} "
                  f"in {time.perf_counter() - started:.1f}s.")
        else:
            sites = len(checked.urls.sites)
            feeds = 3 * len(checked.feeds) + len(checked.social)
            print(f"Built {len(checked.plan)} pages and {feeds} feeds for {sites} site{'s' if sites > 1 else ''} "
                  f"into {where} in {time.perf_counter() - started:.1f}s.")
        _say_waiting(checked)
        if args.verbose and not args.site:
            change = checked.next_change
            print(f"Next change: {change.moment:%Y-%m-%d %H:%M %Z} ({change.why}); written to {where / NEXT_CHANGE}."
                  if change else f"Next change: none due; written to {where / NEXT_CHANGE}.")
        if checked.warnings:  # the guarantee, overlapping teams: said, but no failure without --strict
            print(format_warnings(checked.warning_sections, command="build", strict=False), file=sys.stderr)
    return EXIT_OK


def _say_waiting(checked) -> None:
    """List the drafts and scheduled items, which the public site leaves out, so nobody wonders where they are."""
    if checked.waiting:
        print(f"Not on the public site yet ({len(checked.waiting)}):")
        for item in checked.waiting:
            print(f"  {item}")
