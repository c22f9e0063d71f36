"""The snapshot's two definitions agree: the JSON Schema readers validate against and the
TypedDicts the code is type-checked with (generator/snapshot_types.py).

Both are walked recursively into one list of key paths (``$.indices.*.previous_record_close.value``),
each with whether it is required and the kinds of value it may hold (string, number, integer,
boolean, null, object, array; and the allowed constants). A key added to one definition and not
the other, a key required in one and optional in the other, or a figure that may be null in
one and not the other fails here, naming the path. Then the snapshots a build really makes
(the bundled sample, the minimal fixture, a random history) are checked against both.
"""

from __future__ import annotations

import copy
import datetime as dt
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from generator.analysis.history import analyse
from generator.config import load_config
from generator.load import load_content
from generator.schemas import snapshot_errors, snapshot_schema
from generator.snapshot import make_snapshots
from generator.snapshot_types import FactKind, Snapshot
from generator.story.engine import KIND_ORDER
from generator.validate import validate

ROOT = Path(__file__).resolve().parents[1]

#: A key path's description: (required, kinds of value, allowed constants or empty for any).
Entry = tuple[bool, frozenset[str], frozenset[object]]


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    raise AssertionError(f"no JSON kind for {value!r}")


# --- the JSON Schema, walked ------------------------------------------------------------


def schema_paths(schema: dict[str, Any]) -> dict[str, Entry]:
    """Every key path the schema allows, with whether it is required and its kinds."""
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/$defs/"), f"unexpected $ref {ref}"
            node = {**defs[ref.removeprefix("#/$defs/")], **{k: v for k, v in node.items() if k not in ("$ref", "description")}}
        return node

    def merged(node: dict[str, Any]) -> dict[str, Any]:
        """A node with the properties and required keys of its ``allOf`` parts folded in
        (``if``/``then`` refinements add no keys and are left out)."""
        props: dict[str, Any] = {}
        required: set[str] = set(node.get("required", []))
        kind = node.get("type")
        for part in node.get("allOf", []):
            part = merged(resolve(part))
            props.update(part.get("properties", {}))
            required |= set(part.get("required", []))
            kind = kind or part.get("type")
        for key, sub in node.get("properties", {}).items():
            if sub is True and key in props:
                continue  # "this key is defined in allOf"
            props[key] = sub
        out = {k: v for k, v in node.items() if k not in ("allOf", "properties", "required")}
        if props:
            out["properties"] = props
        if required:
            out["required"] = sorted(required)
        if kind:
            out["type"] = kind
        return out

    def alternatives(node: Any) -> list[dict[str, Any]]:
        node = resolve(node)
        assert isinstance(node, dict), f"a bare boolean schema: {node!r}"
        node = merged(node)
        for choice in ("oneOf", "anyOf"):
            if choice in node:
                rest = {k: v for k, v in node.items() if k != choice}
                return [alt for option in node[choice] for alt in alternatives({**rest, **resolve(option)})]
        return [node]

    out: dict[str, Entry] = {}

    def walk(node: Any, path: str, required: bool) -> None:
        kinds: set[str] = set()
        consts: set[object] = set()
        for alt in alternatives(node):
            if "const" in alt:
                kinds.add(_kind(alt["const"]))
                consts.add(alt["const"])
            elif "enum" in alt:
                kinds |= {_kind(v) for v in alt["enum"]}
                consts |= set(alt["enum"])
            elif "type" in alt:
                kinds |= {alt["type"]} if isinstance(alt["type"], str) else set(alt["type"])
            else:
                raise AssertionError(f"{path}: a schema with no type, const or enum")
            for key, sub in alt.get("properties", {}).items():
                walk(sub, f"{path}.{key}", key in alt.get("required", []))
            if isinstance(alt.get("additionalProperties"), dict):
                walk(alt["additionalProperties"], f"{path}.*", True)
            if "items" in alt:
                walk(alt["items"], f"{path}[]", True)
        assert path not in out, f"{path} described twice"
        out[path] = (required, frozenset(kinds), frozenset(consts))

    walk(schema, "$", True)
    return out


# --- the TypedDicts, walked -------------------------------------------------------------

_SCALARS = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}


def _options(tp: Any) -> tuple[Any, ...]:
    return get_args(tp) if get_origin(tp) in (Union, types.UnionType) else (tp,)


def type_paths(tp: Any) -> dict[str, Entry]:
    """Every key path a TypedDict allows, in the same form as ``schema_paths``."""
    out: dict[str, Entry] = {}

    def walk(tp: Any, path: str, required: bool) -> None:
        kinds: set[str] = set()
        consts: set[object] = set()
        for option in _options(tp):
            origin = get_origin(option)
            if option in _SCALARS:
                kinds.add(_SCALARS[option])
            elif origin is Literal:
                kinds |= {_kind(v) for v in get_args(option)}
                consts |= set(get_args(option))
            elif is_typeddict(option):
                kinds.add("object")
                for key, sub in get_type_hints(option).items():
                    walk(sub, f"{path}.{key}", key in option.__required_keys__)
            elif origin is dict:
                kinds.add("object")
                key_type, value_type = get_args(option)
                assert key_type is str, f"{path}: JSON object keys are strings"
                if value_type is not Any:  # dict[str, Any]: an object of any keys (a fact's values)
                    walk(value_type, f"{path}.*", True)
            elif origin is list:
                kinds.add("array")
                walk(get_args(option)[0], f"{path}[]", True)
            else:
                raise AssertionError(f"{path}: no JSON kind for {option!r}")
        out[path] = (required, frozenset(kinds), frozenset(consts))

    walk(tp, "$", True)
    return out


def disagreements(schema: dict[str, Any], tp: Any) -> list[str]:
    """How the schema and the TypedDict differ, one line per key path (empty when they agree)."""
    by_schema, by_type = schema_paths(schema), type_paths(tp)
    out = [f"{p}: in the schema only" for p in sorted(by_schema.keys() - by_type.keys())]
    out += [f"{p}: in the TypedDicts only" for p in sorted(by_type.keys() - by_schema.keys())]
    for path in sorted(by_schema.keys() & by_type.keys()):
        (s_req, s_kinds, s_consts), (t_req, t_kinds, t_consts) = by_schema[path], by_type[path]
        if s_req != t_req:
            out.append(f"{path}: {'required' if s_req else 'optional'} in the schema, {'required' if t_req else 'NotRequired'} in the TypedDicts")
        if s_kinds != t_kinds:
            out.append(f"{path}: {sorted(s_kinds)} in the schema, {sorted(t_kinds)} in the TypedDicts")
        if s_consts != t_consts:
            out.append(f"{path}: constants {sorted(map(str, s_consts))} in the schema, {sorted(map(str, t_consts))} in the TypedDicts")
    return out


def test_schema_and_typeddicts_agree() -> None:
    assert disagreements(snapshot_schema(), Snapshot) == []


def test_the_walk_covers_the_whole_document() -> None:
    """The comparison reaches into every nested object, so agreement above means something."""
    paths = schema_paths(snapshot_schema())
    for path in ("$.indices.*.previous_record_high.date", "$.indices.*.milestones_close[]", "$.flows.*.*.usd",
                 "$.stocks.*.name_ko", "$.stock_lending.*.previous_record.value", "$.fx.usdkrw", "$.stale.margin_loans",
                 "$.facts[].since", "$.facts[].values", "$.leaders[]"):
        assert path in paths, path
    assert paths["$.facts[].lookback"][0] is False, "the since keys are optional"
    assert paths["$.stocks.*.prev_close"][1] == {"number", "null"}


def test_a_key_added_to_one_definition_only_is_reported() -> None:
    schema = snapshot_schema()
    schema["$defs"]["stock"]["properties"]["isin"] = {"type": "string"}
    assert disagreements(schema, Snapshot) == ["$.stocks.*.isin: in the schema only"]

    class WithVolume(Snapshot):
        volume: int

    assert disagreements(snapshot_schema(), WithVolume) == ["$.volume: in the TypedDicts only"]


def test_required_and_kinds_are_compared() -> None:
    schema = snapshot_schema()
    schema["$defs"]["balance"]["required"].remove("change")
    schema["$defs"]["flow"]["properties"]["usd"]["type"] = "integer"
    schema["$defs"]["fact"]["properties"]["kind"]["enum"].append("index_gap")
    assert disagreements(schema, Snapshot) == [
        "$.facts[].kind: constants " + str(sorted([*get_args(FactKind), "index_gap"])) + " in the schema, "
        + str(sorted(get_args(FactKind))) + " in the TypedDicts",
        "$.flows.*.*.usd: ['integer'] in the schema, ['integer', 'null'] in the TypedDicts",
        "$.margin_loans.*.change: optional in the schema, required in the TypedDicts",
        "$.stock_lending.*.change: optional in the schema, required in the TypedDicts",
    ]


def test_fact_kinds_are_listed_once() -> None:
    """The story engine ranks facts of equal score in the order of the one list of kinds."""
    assert KIND_ORDER == get_args(FactKind)


# --- snapshots a build makes ------------------------------------------------------------


def type_errors(value: Any, tp: Any, path: str = "$") -> list[str]:
    """Where ``value`` does not have the shape of the type ``tp`` (empty when it does)."""
    problems: list[str] = []
    for option in _options(tp):
        origin = get_origin(option)
        if option in _SCALARS:
            if option is float and isinstance(value, int | float) and not isinstance(value, bool):
                return []
            if type(value) is option or (option is type(None) and value is None):
                return []
        elif origin is Literal:
            if value in get_args(option) and type(value) in {type(v) for v in get_args(option)}:
                return []
        elif is_typeddict(option) and isinstance(value, dict):
            hints = get_type_hints(option)
            missing = option.__required_keys__ - value.keys()
            unknown = value.keys() - hints.keys()
            problems = [f"{path}.{k}: missing" for k in sorted(missing)] + [f"{path}.{k}: not in {option.__name__}" for k in sorted(unknown)]
            for key in sorted(value.keys() & hints.keys()):
                problems += type_errors(value[key], hints[key], f"{path}.{key}")
            return problems
        elif origin is dict and isinstance(value, dict):
            value_type = get_args(option)[1]
            for key, sub in value.items():
                problems += [f"{path}: key {key!r} is not a string"] if not isinstance(key, str) else []
                problems += type_errors(sub, value_type, f"{path}.{key}") if value_type is not Any else []
            return problems
        elif origin is list and isinstance(value, list):
            for n, item in enumerate(value):
                problems += type_errors(item, get_args(option)[0], f"{path}[{n}]")
            return problems
    return problems or [f"{path}: {value!r} is not {tp}"]


def built_snapshots(content: Path) -> dict[dt.date, Snapshot]:
    """The snapshots a build makes of ``content`` (load, validate, analyse, snapshot)."""
    config, warnings = load_config(content)
    data = validate(load_content(content), config, warnings)
    return make_snapshots(data, analyse(data))


@pytest.fixture(scope="module")
def random_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A year of a random history with KOSDAQ, lending and margin loans, no real anchors."""
    from generator import sample

    content = tmp_path_factory.mktemp("random") / "content"
    sample.generate(content / "data", start="2021-01-04", end="2021-12-30", n_stocks=8, seed=11, anchors=False)
    return content


@pytest.mark.parametrize("which", ["sample", "minimal", "random"])
def test_built_snapshots_match_the_schema_and_the_types(which: str, request: pytest.FixtureRequest) -> None:
    content = {"sample": ROOT / "content", "minimal": ROOT / "tests" / "fixtures" / "minimal"}.get(which)
    snapshots = built_snapshots(content if content is not None else request.getfixturevalue("random_content"))
    assert snapshots, "the build made no snapshots"
    days = list(snapshots)
    # The first days (no previous close, no records yet), the last, and every tenth between.
    chosen = sorted(set(days[:3] + days[-3:] + days[::10]))
    for day in chosen:
        snap = snapshots[day]
        assert [e.message for e in snapshot_errors(snap)] == [], f"{which} {day}: not a valid snapshot"
        assert type_errors(snap, Snapshot) == [], f"{which} {day}: does not match the TypedDicts"
    # The since keys appear on some facts and not others: both forms are checked above.
    facts = [f for day in chosen for f in snapshots[day].get("facts", [])]
    assert any("since" in f for f in facts) or which == "minimal"
    assert any("since" not in f for f in facts)


def test_type_errors_name_the_path() -> None:
    snap = copy.deepcopy(next(iter(built_snapshots(ROOT / "tests" / "fixtures" / "minimal").values())))
    first = next(iter(snap["stocks"]))
    snap["stocks"][first]["streak"] = 1.5
    del snap["leaders"]
    assert type_errors(snap, Snapshot) == ["$.leaders: missing", f"$.stocks.{first}.streak: 1.5 is not <class 'int'>"]
