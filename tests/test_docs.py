"""The docs describe the product as it is: every contract file, column and setting is documented."""

from __future__ import annotations

import argparse
import dataclasses
import re

from generator.config import SiteConfig
from generator.contract import DATA_FILES
from tests.conftest import ROOT


def test_data_contract_documents_every_file_and_column() -> None:
    doc = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    for spec in DATA_FILES:
        assert f"### `{spec.name}`" in doc, spec.name
        section = doc.split(f"### `{spec.name}`", 1)[1].split("###", 1)[0]
        for column in spec.columns:
            assert re.search(rf"\b{column.name}\b", section), f"{spec.name}: {column.name}"
            for choice in column.choices or ():
                assert f"`{choice}`" in section, f"{spec.name}: {choice}"


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    for field in dataclasses.fields(SiteConfig):
        if field.name != "extra":
            assert f"| `{field.name}` |" in doc, field.name


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _undocumented(parser: argparse.ArgumentParser, path: str) -> list[str]:
    """Sub-commands and options of ``parser`` (recursively) that ``--help`` shows without words."""
    missing = [] if parser.description else [f"{path}: no description"]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            lines = {choice.dest: choice.help for choice in action._choices_actions}
            for name, child in action.choices.items():
                if not lines.get(name):
                    missing.append(f"{path} {name}: no line in {path} --help")
                missing += _undocumented(child, f"{path} {name}")
        elif not action.help and action.dest != "help":
            missing.append(f"{path}: {'/'.join(action.option_strings) or action.dest} has no help")
    return missing


def test_every_command_and_option_has_help() -> None:
    """``kospi-report --help`` lists every command with a line, and each command's ``--help``
    says what it does and what each of its options means."""
    from generator.cli import COMMANDS, make_parser

    parser = make_parser()
    sub = _subcommands(parser)
    assert sub is not None
    assert len(sub.choices) == len(COMMANDS), "every command module is installed and registered"
    listing = " ".join(parser.format_help().split())  # as wrapped for the terminal, joined again
    for choice in sub._choices_actions:
        assert f" {choice.dest} {choice.help} " in listing, choice.dest
    assert _undocumented(parser, "kospi-report") == []
