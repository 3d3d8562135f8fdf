"""The ``kg-publisher`` command line: thin adapters over the library.

Exit codes: 0 success (warnings allowed), 1 SHACL violations, 2 bad input or usage.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import KgPublisherError
from .settings import Settings, load_settings


class UsageFailure(click.ClickException):
    """A user error: message on stderr, exit code 2, no traceback."""

    exit_code = 2


def _fail(exc: KgPublisherError) -> NoReturn:
    raise UsageFailure(str(exc))


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    try:
        return load_settings(ctx.obj.get("settings_file"), overrides=overrides)
    except KgPublisherError as exc:
        _fail(exc)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg-publisher")
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False),
              help="TOML settings file (default: $KGP_SETTINGS_FILE or ./kg-publisher.toml if present).")
@click.pass_context
def main(ctx: click.Context, settings_file: str | None) -> None:
    """Turn budget disclosures (部门预算/决算公开) into a validated knowledge graph and publish it."""
    ctx.ensure_object(dict)
    ctx.obj["settings_file"] = settings_file


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Build folder (default: the build_dir setting, 'build'). The release is DIR/current.")
@click.option("--base-iri", help="Base IRI for minted IRIs (default: the base_iri setting).")
@click.option("--example", is_flag=True,
              help="Build the example disclosure shipped with the package (with SOURCES, if any, instead of "
                   "DATA_DIR/disclosures).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Worker processes extracting and validating documents (default: one per core).")
@click.option("--timings", is_flag=True,
              help="Print how long each stage took (wall and this process's CPU seconds) on stderr.")
@click.pass_context
def build(ctx: click.Context, sources: tuple[Path, ...], out_dir: Path | None, base_iri: str | None,
          example: bool, quiet: bool, jobs: int | None, timings: bool) -> None:
    """Extract, build and validate SOURCES (files or folders; default: DATA_DIR/disclosures) and publish
    the result as DIR/current.

    Writes DIR/current/: each disclosure's dumps (dumps/; the whole graph is served from them as
    /dumps/all.nq.gz), report.ttl (SHACL quality report), records/*.json, the catalogue and the query store.

    Example: kg-publisher build data/disclosures --out build (or, installed anywhere: kg-publisher build --example)
    """
    from tqdm import tqdm

    from .build import build as run_build
    from .package_data import example_disclosure
    from .timing import printed_stages

    settings = _settings(ctx, base_iri=base_iri)
    out = out_dir or settings.build_dir
    inputs = [example_disclosure(), *sources] if example else list(sources) or [settings.data_dir / "disclosures"]
    progress = None if quiet else (lambda paths: tqdm(paths, desc=getattr(paths, "label", "documents"), unit="doc",
                                                     file=sys.stderr, disable=len(paths) < 2))
    try:
        with printed_stages(sys.stderr) if timings else nullcontext():
            result = run_build(inputs, out, settings, progress, jobs=jobs)
    except KgPublisherError as exc:
        _fail(exc)
    for doc in result.documents:
        if doc.cache_damage:
            click.echo(f"rebuilt    {doc.path}: cached result damaged ({doc.cache_damage}); rebuilt from source",
                       err=True)
        if doc.status == "failed":
            click.echo(f"FAILED     {doc.path}: {doc.message}", err=True)
        else:
            verdict = "published" if doc.status == "published" else "REJECTED (violations, not published)"
            note = " (unchanged, cached)" if doc.cached else ""
            click.echo(f"{verdict:<10} {doc.path} → {doc.key}: {doc.violations} violations, "
                       f"{doc.warnings} warnings, {doc.notes} notes{note}")
    if result.release_dir is not None:
        triples = result.manifest.get("triples", "?")
        click.echo(f"release    {out}/current → {result.release_dir.name} ({triples} quads)")
        click.echo(f"graph      served at /dumps/all.nq.gz; check it with `kg-publisher validate {out}`")
        click.echo(f"report     {out}/current/report.ttl")
    else:
        click.echo(f"nothing published; {out}/current is unchanged", err=True)
    ctx.exit(result.exit_code)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", help="RDF syntax of the files (default: guessed from the suffix).")
def validate(files: tuple[Path, ...], fmt: str | None) -> None:
    """Validate RDF FILES (a .gz file is read decompressed; a build or release folder: its whole graph) against
    the project's SHACL shapes and print the findings.

    Example: kg-publisher validate build
    """
    from .publish.release import Release
    from .validate import validate_files

    try:
        inputs = [(str(path / "kg.nq"), Release.open(path).open_nquads()) if path.is_dir() else path
                  for path in files]
        outcome = validate_files(inputs, fmt)
    except KgPublisherError as exc:
        _fail(exc)
    for row in outcome.rows:
        click.echo(f"{row.severity:<9} {row.focus_node}  {row.message}")
    click.echo(f"{outcome.violations} violations, {outcome.warnings} warnings, {outcome.infos} notes")
    sys.exit(1 if outcome.violations else 0)


@main.command()
@click.argument("document", type=click.Path(path_type=Path))
def extract(document: Path) -> None:
    """Print the records read from DOCUMENT as JSON, each with its source span.

    Example: kg-publisher extract data/disclosures/00_panjin-xinglongtai-zwfwzx-2022-budget.txt
    """
    from .extract.readers import read_source
    from .records.parse import parse_disclosure

    try:
        disclosure = parse_disclosure(read_source(document))
    except KgPublisherError as exc:
        _fail(exc)
    click.echo(disclosure.to_json())


@main.command()
@click.argument("build_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", help="Interface to bind (default: the host setting, 127.0.0.1).")
@click.option("--port", help="TCP port (default: the port setting, 8000).")
@click.option("--public-url", help="Where clients reach the server, e.g. https://data.example.org/kg/ "
              "(default: the public_url setting; empty = the request's host, if in allowed_hosts).")
@click.option("--store-url", help="Query a SPARQL endpoint holding the release (loaded with `kg-publisher load`) "
              "instead of the release's embedded store; 'loaded': the engine and release `kg-publisher load` "
              "last recorded for BUILD_DIR, followed when another is loaded (default: the store_url setting).")
@click.pass_context
def serve(ctx: click.Context, build_dir: Path | None, host: str | None, port: str | None,
          public_url: str | None, store_url: str | None) -> None:
    """Serve BUILD_DIR/current (default: the build_dir setting) with granian: SPARQL endpoint, linked-data
    pages, dumps and the DCAT catalogue.

    Example: kg-publisher serve build --port 8000
    """
    from .web.server import serve as run_server

    settings = _settings(ctx, build_dir=build_dir, host=host, port=port, public_url=public_url,
                         store_url=store_url)
    try:
        run_server(settings)
    except KgPublisherError as exc:
        _fail(exc)


@main.command()
@click.argument("release_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--store-url", required=True, help="The engine's SPARQL query endpoint, e.g. "
              "http://127.0.0.1:7878/query (used to check the load, and by `serve --store-url`).")
@click.option("--graph-store-url", help="The engine's Graph Store Protocol endpoint (default: told from "
              "--store-url for Oxigraph, /query → /store, and Fuseki, /sparql → /data).")
@click.pass_context
def load(ctx: click.Context, release_dir: Path, store_url: str, graph_store_url: str | None) -> None:
    """Load a built release (RELEASE_DIR: a build folder or one release in it) into a SPARQL engine the
    server does not run, with the default graph as the merge of the named graphs, and check every graph's size.

    Load into an empty engine. Once the load is checked, a release in a build folder is recorded as loaded
    (DIR/loaded.json): fronts serving DIR with store_url = loaded switch to this engine and release together.
    To switch releases without readers seeing a half-loaded one, load the new release into a second engine;
    the fronts move to it when the load is checked, and the old engine can be retired.

    Example: kg-publisher load build --store-url http://127.0.0.1:7878/query
    """
    from .publish.release import Release
    from .publish.remote import graph_store_url as told_graph_store
    from .publish.remote import load_release
    from .publish.versions import record_loaded

    settings = _settings(ctx, store_url=store_url)
    target = graph_store_url or told_graph_store(settings.store_url)
    if not target:
        raise UsageFailure(f"Cannot tell the Graph Store endpoint from --store-url {store_url}: give "
                           "--graph-store-url (e.g. http://127.0.0.1:7878/store)")
    if settings.store_url == "loaded":
        raise UsageFailure("--store-url loaded names no engine: give the engine's query endpoint")
    try:
        release = Release.open(release_dir)
        sizes = load_release(release, settings, target)
        record = record_loaded(release, settings.store_url)
    except KgPublisherError as exc:
        _fail(exc)
    click.echo(f"loaded     {release.path} → {target}: {len(sizes)} graphs, {sum(sizes.values())} triples, "
               "every graph as in the manifest")
    if record is not None:
        click.echo(f"recorded   {record}: fronts with store_url = loaded now serve {release.version} from "
                   f"{settings.store_url}")


@main.command()
@click.argument("old", type=click.Path(file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "ttl", "json"]), default="text", show_default=True,
              help="text: one line per change; ttl: the diff as RDF (bgt:ReleaseDiff); json: counts and changes.")
@click.pass_context
def diff(ctx: click.Context, old: Path, new: Path, fmt: str) -> None:
    """Print the figures and quality findings added, removed and changed from release OLD to release NEW (each a
    release folder, e.g. DIR/releases/VERSION, or a build folder: its current release).

    A figure is known by its IRI and changed when its amount in yuan did; a finding by what it is about (focus
    node, shape, path, value) and changed when its severity or message did.

    Example: kg-publisher diff build/releases/0123456789abcdef build
    """
    import json

    from .publish.diff import KINDS, diff_graph, diff_releases
    from .publish.release import Release

    settings = _settings(ctx)
    try:
        result = diff_releases(Release.open(old), Release.open(new))
    except KgPublisherError as exc:
        _fail(exc)
    if fmt == "ttl":
        click.echo(diff_graph(result, settings.base_iri).serialize(format="turtle"), nl=False)
        return
    if fmt == "json":
        body = {**result.summary(),
                "figure_changes": [{"kind": c.kind, "figure": c.figure, "dataset": c.dataset, "label": c.label,
                                    "before": None if c.before is None else str(c.before),
                                    "after": None if c.after is None else str(c.after)} for c in result.figures],
                "finding_changes": [{"kind": c.kind, "focus": c.focus, "shape": c.shape,
                                     "severity_before": c.severity_before, "severity_after": c.severity_after,
                                     "message_before": c.message_before, "message_after": c.message_after}
                                    for c in result.findings]}
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    click.echo(f"releases   {result.old} → {result.new}")
    for what in ("figures", "findings"):
        counts = result.counts[what]
        click.echo(f"{what:<10} " + ", ".join(f"{counts[kind]} {kind}" for kind in KINDS))
    for change in result.figures:
        before = "" if change.before is None else str(change.before)
        after = "" if change.after is None else str(change.after)
        amounts = f"{before} → {after}" if change.kind == "changed" else before or after
        click.echo(f"{change.kind:<10} figure   {change.figure}  {change.label}  {amounts} 元")
    for finding in result.findings:
        severity = (f"{finding.severity_before} → {finding.severity_after}" if finding.kind == "changed"
                    else finding.severity_before or finding.severity_after)
        message = finding.message_after if finding.message_after is not None else finding.message_before
        click.echo(f"{finding.kind:<10} finding  {finding.focus}  {severity}  {message}")


if __name__ == "__main__":  # pragma: no cover
    main()
