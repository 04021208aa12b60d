"""mlops-scaffold: new projects from a team catalogue, and status and updates across many projects.

    mlops-scaffold list                                   the catalogue's presets
    mlops-scaffold new DEST [--preset NAME] [--data KEY=VALUE ...] [--defaults]
    mlops-scaffold status [PATH ...]                      template version, newest, pending, dirty
    mlops-scaffold update [PATH ...] [--jobs N]           copier update, then a table of what changed
    mlops-scaffold catalogue validate FILE                check a catalogue against copier.yml

Exit codes: 0 ok; 1 some projects failed; 2 bad usage or input (nothing was written or changed).
Copier does the work through its public API (run_copy, run_update); this adds the catalogue, the
checks that come before copier, and the reports after it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mlops_scaffold import catalogue as catalogues
from mlops_scaffold import projects
from mlops_scaffold.new_project import (
    UsageError,
    answer_error,
    check_destination,
    check_template_committed,
    parse_data,
    wrap,
)
from mlops_scaffold.sources import SourceError, Sources

OK, FAILED, BAD_INPUT = 0, 1, 2
NO_PRESET = "(no preset: copier asks every question)"

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


class Refused(Exception):
    """Bad usage or input: each line is printed as `error: ...`, and the command exits 2."""

    def __init__(self, *lines: str):
        self.lines = [line for line in lines if line]
        super().__init__("\n".join(self.lines))


def refuse_lines(lines: list[str]) -> int:
    for line in lines:
        print(wrap(f"error: {line}"), file=sys.stderr)
    return BAD_INPUT


def load_catalogue(path: str | None) -> catalogues.Catalogue:
    try:
        return catalogues.load(catalogues.locate(path))
    except catalogues.CatalogueError as error:
        raise Refused(*str(error).splitlines()) from None


# ─── list ────────────────────────────────────────────────────────────────────
def cmd_list(args) -> int:
    catalogue = load_catalogue(args.catalogue)
    table = Table(title=f"Presets in {catalogue.path}", title_justify="left")
    table.add_column("preset", style="bold", no_wrap=True)
    table.add_column("description")
    table.add_column("template", no_wrap=True)
    for preset in catalogue.presets.values():
        table.add_row(preset.name, preset.description, f"{preset.source} @ {preset.version or 'newest'}")
    out.print(table)
    return OK


# ─── new ─────────────────────────────────────────────────────────────────────
def pick_preset(catalogue: catalogues.Catalogue) -> catalogues.Preset | None:
    """The preset picker (questionary), shown when `new` runs on a terminal without --preset."""
    import questionary

    choices = [
        questionary.Choice(title=f"{preset.name}: {preset.description}", value=preset.name)
        for preset in catalogue.presets.values()
    ]
    choices.append(questionary.Choice(title=NO_PRESET, value=""))
    picked = questionary.select("Which preset?", choices=choices).ask()
    if picked is None:  # ctrl-c
        raise Refused("no preset picked; nothing was written.")
    return catalogue.presets[picked] if picked else None


def cmd_new(args) -> int:
    catalogue = load_catalogue(args.catalogue)
    interactive = not args.defaults and sys.stdin.isatty() and sys.stdout.isatty()
    try:
        data = parse_data(args.data)
    except UsageError as error:
        raise Refused(str(error)) from None
    if args.preset:
        try:
            preset = catalogue.preset(args.preset)
        except catalogues.CatalogueError as error:
            raise Refused(*str(error).splitlines()) from None
    else:
        preset = pick_preset(catalogue) if interactive else None

    source = catalogue.template(preset.source if preset else catalogue.source)
    version = args.vcs_ref or (preset.version if preset else catalogue.version)
    destination = Path(args.destination).resolve()
    try:
        if source.local is not None:
            check_destination(destination, source.local)
            check_template_committed(source.local, args.allow_dirty_template)
        if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
            raise UsageError(f"the destination {destination} exists and is not empty; choose a new folder.")
        _, problems = catalogue.resolve(preset, data, version)
    except UsageError as error:
        raise Refused(str(error)) from None
    except SourceError as error:
        raise Refused(str(error)) from None
    if interactive:  # copier asks the rest: only the answers given so far must already be valid
        given = {*data, *(preset.answers if preset else {})}
        problems = [line for line in problems if any(f": {name}:" in line for name in given)]
    if problems:
        raise Refused(*problems)

    what = f"preset '{preset.name}'" if preset else "the default answers"
    print(f"Generating a project from {what} into {destination}", flush=True)
    import copier
    from copier.errors import UserMessageError

    try:
        copier.run_copy(
            source.git_url if source.local is None else str(source.local),
            destination,
            data={**(preset.answers if preset else {}), **data},
            user_defaults=catalogue.team_answers,
            defaults=not interactive,
            unsafe=True,
            vcs_ref=version,
        )
    except ValueError as error:  # a validator refused an answer; copier wrote nothing
        raise Refused(answer_error(error)) from None
    except UserMessageError as error:  # copier's own refusals (unknown version, missing extension, ...)
        raise Refused(" ".join(str(error).split())) from None
    except KeyboardInterrupt:
        raise Refused("interrupted; copier removed what it had written.") from None
    return OK


# ─── status ──────────────────────────────────────────────────────────────────
def read_projects(paths: list[str], sources: Sources) -> tuple[list[projects.Project], list[str]]:
    found, problems = [], []
    for path in dict.fromkeys(Path(path).resolve() for path in paths):  # once each, in the order given
        try:
            found.append(projects.read(path, sources))
        except projects.ProjectError as error:
            problems.append(str(error))
    return found, problems


def cmd_status(args) -> int:
    sources = Sources()
    found, problems = read_projects(args.paths, sources)
    table = Table(title="Template status", title_justify="left")
    for column in ("project", "template version", "newest", "update pending", "working tree"):
        table.add_column(column, no_wrap=column != "project", overflow="fold")
    for project in found:
        try:
            newest = project.newest or "-"
            pending = {True: "yes", False: "no", None: "unknown"}[project.pending]
        except SourceError as error:
            problems.append(f"{project.path}: {error}")
            continue
        tree = f"dirty ({len(project.dirty)})" if project.dirty else "clean"
        table.add_row(str(project.path), project.commit, newest, pending, tree)
    if table.rows:
        out.print(table)
    return refuse_lines(problems) if problems else OK


# ─── update ──────────────────────────────────────────────────────────────────
def cmd_update(args) -> int:
    if args.jobs < 1:
        raise Refused(f"--jobs: expected a whole number of 1 or more (got {args.jobs}).")
    sources = Sources()
    found, problems = read_projects(args.paths, sources)
    for project in found:
        try:
            projects.check_updatable(project, args.vcs_ref)
        except projects.ProjectError as error:
            problems.append(str(error))
    if problems:
        problems.append(f"nothing was updated ({len(args.paths)} project(s) given).")
        raise Refused(*problems)

    # A project already at the newest release has nothing to take: no copier run (a fleet is
    # mostly up to date). An explicit --vcs-ref always runs.
    current = [p for p in found if not args.vcs_ref and p.newest is not None and p.commit == p.newest]
    done = {str(p.path): projects.UpdateResult(str(p.path), p.commit, p.commit) for p in current}
    pending = [p for p in found if str(p.path) not in done]
    ran = {result.path: result for result in run_updates(pending, args)} if pending else {}
    results = [done.get(str(p.path)) or ran[str(p.path)] for p in found]
    table = Table(title="copier update", title_justify="left")
    for column in ("project", "from", "to", "files changed", "files with conflicts"):
        table.add_column(column, no_wrap=column in ("from", "to", "files changed"), overflow="fold")
    for result in results:
        to_version = result.to_version if not result.error else f"{result.to_version} (failed)"
        conflicts = "\n".join(result.conflicts) if result.conflicts else "-"
        table.add_row(result.path, result.from_version, to_version, str(len(result.changed)), conflicts)
    out.print(table)
    failed = [result for result in results if result.error]
    for result in failed:
        print(wrap(f"failed: {result.path}: {result.error}"), file=sys.stderr)
    with_conflicts = [result for result in results if result.conflicts]
    if with_conflicts:
        out.print(
            f"{len(with_conflicts)} project(s) have conflicts, marked inline (<<<<<<< ... >>>>>>>) or in "
            "*.rej files: resolve each file, then `git add` it."
        )
    return FAILED if failed else OK


def run_updates(found: list[projects.Project], args) -> list[projects.UpdateResult]:
    """One `copier update` per project, ``--jobs`` at a time, in worker processes: copier changes
    the working directory while it runs, so projects cannot share one process's threads."""
    jobs = [(str(project.path), project.commit, args.vcs_ref, args.conflict) for project in found]
    results: dict[str, projects.UpdateResult] = {}
    # fork: the workers start with copier already imported; they are all started on the first
    # submit, before the progress bar's thread exists.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(args.jobs, len(jobs)), mp_context=context) as pool:
        futures = {pool.submit(projects.update, *job): job[0] for job in jobs}
        with Progress(
            TextColumn("updating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("update", total=len(futures))
            for future in as_completed(futures):
                path = futures[future]
                try:
                    results[path] = future.result()
                except Exception as error:  # noqa: BLE001 - a worker that died: report it with the others
                    results[path] = projects.UpdateResult(path=path, from_version="", error=repr(error))
                progress.advance(task)
    return [results[job[0]] for job in jobs]


# ─── catalogue validate ──────────────────────────────────────────────────────
def cmd_catalogue_validate(args) -> int:
    path = Path(args.file).resolve()
    try:
        catalogue = catalogues.load(path)
    except catalogues.CatalogueError as error:
        raise Refused(*str(error).splitlines()) from None
    problems = catalogues.validate(catalogue)
    if problems:
        raise Refused(*(f"{path}: {problem}" for problem in problems))
    out.print(f"{path}: valid ({len(catalogue.presets)} presets: {', '.join(catalogue.presets)}).")
    return OK


# ─── arguments ───────────────────────────────────────────────────────────────
def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="mlops-scaffold",
        description="New MLOps projects from a team catalogue; status and updates across many projects.",
        epilog="Exit codes: 0 ok, 1 some projects failed, 2 bad usage or input (nothing changed).",
    )
    root.add_argument(
        "--catalogue",
        metavar="PATH",
        help=f"team catalogue (default: ${catalogues.ENV_VAR}, else the template's catalogue.yml)",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="the catalogue's presets with their descriptions")
    listing.set_defaults(run=cmd_list)

    new = commands.add_parser(
        "new",
        help="generate a project from a preset",
        description="Generate a project with copier. On a terminal without --preset or --defaults, pick a "
        "preset, then copier asks the remaining questions; otherwise it runs from the flags alone.",
    )
    new.add_argument("destination", metavar="DEST", help="a new folder, outside the template repository")
    new.add_argument("--preset", metavar="NAME", help="a preset of the catalogue (see `mlops-scaffold list`)")
    new.add_argument("-d", "--data", action="append", default=[], metavar="KEY=VALUE", help="an answer (repeat)")
    new.add_argument("--defaults", action="store_true", help="ask nothing: the preset, --data, then defaults")
    new.add_argument("--vcs-ref", metavar="REF", help="template version (tag or commit) instead of the preset's")
    new.add_argument(
        "--allow-dirty-template", action="store_true", help="generate from uncommitted changes of a local template"
    )
    new.set_defaults(run=cmd_new)

    status = commands.add_parser(
        "status", help="template version, newest available, update pending, dirty tree (per project)"
    )
    status.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="generated projects (default: .)")
    status.set_defaults(run=cmd_status)

    update = commands.add_parser(
        "update",
        help="copier update for one or many projects, then a table of what changed",
        description="Run `copier update` (recorded answers, inline conflict markers) on each project, after "
        "checking them all: a dirty tree, a path that is not a copier project, an unreachable template "
        "source or an unknown _commit stops the command before any project changes.",
    )
    update.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="generated projects (default: .)")
    update.add_argument("--vcs-ref", metavar="REF", help="template version to update to (default: the newest)")
    update.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="projects updated in parallel")
    update.add_argument(
        "--conflict", choices=["inline", "rej"], default="inline", help="how conflicts are marked (default: inline)"
    )
    update.set_defaults(run=cmd_update)

    catalogue = commands.add_parser("catalogue", help="team catalogue tools")
    catalogue_commands = catalogue.add_subparsers(dest="catalogue_command", required=True, metavar="COMMAND")
    validate = catalogue_commands.add_parser(
        "validate", help="check a catalogue: its structure, then every preset's answers against copier.yml"
    )
    validate.add_argument("file", metavar="FILE")
    validate.set_defaults(run=cmd_catalogue_validate)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except Refused as refused:
        return refuse_lines(refused.lines)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return BAD_INPUT


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
