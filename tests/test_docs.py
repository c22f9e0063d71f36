"""The docs describe the product as it is: every contract file, column and setting is documented."""

from __future__ import annotations

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


def test_every_command_has_help() -> None:
    from generator.cli import make_parser

    parser = make_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sub.choices.items():
        assert command.description or command.format_help(), name
        assert name in sub._name_parser_map
