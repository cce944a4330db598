"""The apps' layering, read from the source with `ast` (migrations and tests aside).

- The graph of imports between the project's apps has no cycle.
- `core/` is the ground floor: it imports no app of the project; `territoires/` imports only
  `core/`; the feuilles de route never import the gouvernances (the gouvernance calls them).
- `espace/`, the site's own pages, sits on top: no app imports it.
- Template tags never reach the data (no import of models or selectors): a page's data is
  assembled in its view.
- No app imports a sibling defensively (`try: import …`): dependencies are explicit.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "core",
    "territoires",
    "entreprises",
    "comptes",
    "diagnostic",
    "candidatures",
    "feuilles_de_route",
    "gouvernances",
    "besoins",
    "subventions",
    "national",
    "donnees_ouvertes",
    "espace",
]


def _sources(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def _imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node, node.module


def _graph() -> dict[str, dict[str, set[str]]]:
    """{app: {imported app: files that import it}}."""
    graph: dict[str, dict[str, set[str]]] = {app: {} for app in APPS}
    for app in APPS:
        for path, tree in _sources(app):
            for _node, module in _imported_modules(tree):
                top = module.split(".")[0]
                if top in APPS and top != app:
                    graph[app].setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return graph


GRAPH = _graph()


def _cycle(graph) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(app, path):
        state[app] = "visiting"
        for target in sorted(graph.get(app, {})):
            if state.get(target) == "visiting":
                return [*path[path.index(target) :], target] if target in path else [*path, target]
            if target not in state:
                found = visit(target, [*path, target])
                if found:
                    return found
        state[app] = "done"
        return None

    for app in graph:
        if app not in state:
            found = visit(app, [app])
            if found:
                return found
    return None


def test_the_app_graph_has_no_cycle():
    cycle = _cycle(GRAPH)
    assert cycle is None, "Cycle d'imports entre applications : " + " → ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b": set()}, "b": {"c": set()}, "c": {"a": set()}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b": set()}, "b": {}}) is None


@pytest.mark.parametrize(
    ("app", "allowed"),
    [
        ("core", set()),
        ("territoires", {"core"}),
        ("entreprises", {"core"}),
        ("comptes", {"core", "territoires"}),
    ],
)
def test_the_ground_floor_imports_only_what_lies_below(app, allowed):
    extra = {target: files for target, files in GRAPH[app].items() if target not in allowed}
    assert not extra, f"{app} importe {extra}"


def test_feuilles_de_route_never_import_gouvernances():
    assert "gouvernances" not in GRAPH["feuilles_de_route"], GRAPH["feuilles_de_route"].get("gouvernances")


def test_nothing_imports_the_top_layer():
    importers = {app: files["espace"] for app, files in GRAPH.items() if "espace" in files}
    assert not importers, importers


def test_template_tags_do_not_reach_the_data():
    offenders = []
    for app in APPS:
        for path, tree in _sources(app):
            if "templatetags" not in path.parts:
                continue
            for _node, module in _imported_modules(tree):
                if module.split(".")[0] in APPS and module.split(".")[0] != "core":
                    offenders.append(f"{path.relative_to(ROOT)}: {module}")
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.level
                    and node.module
                    and node.module.split(".")[-1] in {"models", "selectors", "services"}
                ):
                    offenders.append(f"{path.relative_to(ROOT)}: .{node.module}")
    assert not offenders, offenders


def test_no_app_imports_a_sibling_defensively():
    offenders = []
    for app in APPS:
        for path, tree in _sources(app):
            for node in ast.walk(tree):
                if not isinstance(node, ast.Try):
                    continue
                for inner in node.body:
                    for _import, module in _imported_modules(inner):
                        if module.split(".")[0] in APPS:
                            offenders.append(f"{path.relative_to(ROOT)}:{inner.lineno} {module}")
    assert not offenders, offenders
