"""Write the API reference pages of the docs site while MkDocs builds it (mkdocs-gen-files runs this).

Nothing here is committed output: the pages hold only ``::: module`` directives, and mkdocstrings
renders each one from the docstrings and signatures of the code. The package tree decides the pages,
so a new module or endpoint package appears in the reference (and its nav) without an edit here:

- an endpoint package (a package with an ``endpoint.py``: its endpoint, request, response and
  ``I…Interface`` Protocols) is a section of its API group's page, one page per group (e.g.
  ``carpenstar_bybit.v5.trade``), so some 65 endpoint packages stay a few dozen pages;
- every other public module is a page of its own, showing what it defines; what a package only
  re-exports from another public module is listed there with a link to where it is documented;
- modules and packages whose name starts with ``_`` are private: what they define appears where a
  public package exports it (e.g. ``carpenstar_bybit.sandbox``).

``reference/SUMMARY.md`` is the nav of the section (mkdocs-literate-nav reads it; ``mkdocs.yml`` links
the section as ``reference/``). ``python tools/gen_api_pages.py`` prints the pages instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import griffe

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "carpenstar_bybit"
#: Modules that are not API (the command line and its ``python -m`` entry point), by name under a package.
SKIP = ("cli", "__main__")
#: The files an endpoint package is made of (DESIGN.md): their names are rendered with the package.
ENDPOINT_MODULES = ("endpoint", "request", "response", "interfaces")
REFERENCE = "reference"


@dataclass
class Page:
    """One page of the reference: where it goes, its nav label, and its Markdown."""

    path: str
    label: str
    text: str
    children: list[Page] = field(default_factory=list)


def is_private(module: griffe.Module) -> bool:
    return any(part.startswith("_") for part in module.path.split("."))


def is_skipped(module: griffe.Module) -> bool:
    top = module.path.split(".")[0]
    return any(module.path == f"{top}.{skip}" or module.path.startswith(f"{top}.{skip}.") for skip in SKIP)


def is_endpoint_package(module: griffe.Module) -> bool:
    return "endpoint" in module.modules


def public_modules(module: griffe.Module) -> list[griffe.Module]:
    children = sorted(module.modules.values(), key=lambda child: child.name)
    return [child for child in children if not is_private(child) and not is_skipped(child)]


def exported(module: griffe.Module) -> list[str]:
    """The module's public names: ``__all__`` when it has one, else what it defines without ``_``."""
    if module.exports is not None:
        return [str(name) for name in module.exports]
    return [
        name
        for name, member in module.members.items()
        if not name.startswith("_") and not member.is_alias and not member.is_module
    ]


def split_members(module: griffe.Module) -> tuple[list[str], list[tuple[str, str]]]:
    """(names documented on this page, [(name, target)] documented on another page)."""
    own: list[str] = []
    elsewhere: list[tuple[str, str]] = []
    for name in exported(module):
        member = module.members.get(name)
        if member is None:
            continue
        if isinstance(member, griffe.Alias):
            target = member.target_path
            home = target.rpartition(".")[0]
            if any(part.startswith("_") for part in home.split(".")) or home == module.path:
                own.append(name)
            else:
                elsewhere.append((name, target))
        elif not member.is_module:
            own.append(name)
    return own, elsewhere


def directive(
    path: str, *, heading_level: int, members: list[str] | None, heading: str = "", toc_label: str = ""
) -> str:
    lines = [f"::: {path}", "    options:", f"      heading_level: {heading_level}"]
    if heading:
        lines.append(f'      heading: "{heading}"')
    if toc_label:
        lines.append(f'      toc_label: "{toc_label}"')
    if members is not None:
        lines.append("      members:" + ("" if members else " []"))
        lines += [f"        - {name}" for name in members]
    return "\n".join(lines)


def module_page(module: griffe.Module) -> str:
    own, elsewhere = split_members(module)
    parts = [directive(module.path, heading_level=1, members=own)]
    if elsewhere:
        parts.append("## Re-exported names")
        rows = [f"| [`{name}`][{target}] | `{target}` |" for name, target in elsewhere]
        parts.append("\n".join(["| Name | Documented at |", "|---|---|", *rows]))
    return "\n\n".join(parts) + "\n"


def endpoint_heading(package: griffe.Module) -> tuple[str, str]:
    """(``CancelOrder · POST /v5/order/cancel``, ``POST /v5/order/cancel``): the endpoint class and its
    route, read from the source."""
    module = package.modules["endpoint"]
    for name in exported(module):
        cls = module.members.get(name)
        if isinstance(cls, griffe.Class) and "URL" in cls.members and "METHOD" in cls.members:
            url = str(getattr(cls.members["URL"], "value", "")).strip("'\"")
            method = str(getattr(cls.members["METHOD"], "value", "")).rpartition(".")[2]
            return f"{cls.name} · {method} {url}", f"{method} {url}"
    return package.name, package.name


def endpoint_members(package: griffe.Module) -> list[str]:
    """The package's names in the order a reader wants them: endpoint, request, response(s), Protocols."""

    def rank(name: str) -> int:
        member = package.members.get(name)
        home = member.target_path.split(".")[-2] if isinstance(member, griffe.Alias) else ""
        return ENDPOINT_MODULES.index(home) if home in ENDPOINT_MODULES else len(ENDPOINT_MODULES)

    return sorted(exported(package), key=rank)


def group_page(module: griffe.Module, endpoints: list[griffe.Module]) -> str:
    parts = [directive(module.path, heading_level=1, members=[])]
    for package in endpoints:
        heading, route = endpoint_heading(package)
        members = endpoint_members(package)
        parts.append(
            directive(package.path, heading_level=2, members=members, heading=heading, toc_label=route)
        )
    return "\n\n".join(parts) + "\n"


def page_path(module: griffe.Module, *, index: bool) -> str:
    base = "/".join(module.path.split("."))
    return f"{base}/index.md" if index else f"{base}.md"


def build(module: griffe.Module) -> Page | None:
    """The page of ``module`` with the pages below it, or ``None`` when it has nothing to show."""
    children = public_modules(module)
    endpoints = [child for child in children if is_endpoint_package(child)]
    others = [build(child) for child in children if not is_endpoint_package(child)]
    below = [page for page in others if page is not None]
    label = module.name
    if endpoints:
        path = page_path(module, index=bool(below))
        return Page(path, label, group_page(module, endpoints), below)
    own, elsewhere = split_members(module)
    if not own and not elsewhere and not below:
        return None
    if not own and not elsewhere:  # a package that only holds packages: a nav section, no page
        return Page("", label, "", below)
    return Page(page_path(module, index=bool(below)), label, module_page(module), below)


def walk(page: Page) -> list[Page]:
    return [page, *(p for child in page.children for p in walk(child))]


def summary(pages: list[Page], depth: int = 0) -> list[str]:
    lines = []
    for page in pages:
        indent = "    " * depth
        lines.append(f"{indent}* [{page.label}]({page.path})" if page.path else f"{indent}* {page.label}")
        lines += summary(page.children, depth + 1)
    return lines


def load(package: str, search_path: Path) -> griffe.Module:
    loaded = griffe.load(package, search_paths=[str(search_path)], docstring_parser="sphinx")
    assert isinstance(loaded, griffe.Module)
    return loaded


def pages(package: str = PACKAGE, search_path: Path = ROOT) -> dict[str, str]:
    """``{path under reference/: Markdown}``, ``SUMMARY.md`` (the section's nav) included."""
    root = build(load(package, search_path))
    if root is None:
        raise SystemExit(f"{package} has nothing to document")
    # The top package's page first, then its modules and packages at the same nav level.
    tree = [Page(root.path, root.label, root.text)] if root.path else []
    tree += root.children
    files = {page.path: page.text for entry in tree for page in walk(entry) if page.path}
    files["SUMMARY.md"] = "\n".join(["* [Overview](index.md)", *summary(tree)]) + "\n"
    return files


def main() -> None:
    for path, text in pages().items():
        print(f"--- {REFERENCE}/{path}\n{text}")


def write() -> None:
    import mkdocs_gen_files  # only present while MkDocs builds the site

    for path, text in pages().items():
        with mkdocs_gen_files.open(f"{REFERENCE}/{path}", "w") as handle:
            handle.write(text)


if __name__ == "<run_path>":
    write()
elif __name__ == "__main__":
    main()
