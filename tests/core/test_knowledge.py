"""Knowledge files are validated at load time; a broken entry stops start-up naming file and entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import DEFAULT_DIR, KnowledgeError, load


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_knowledge_loads_with_a_version() -> None:
    knowledge = load()
    assert knowledge.version.startswith("20")
    assert {b.id for b in knowledge.brands} >= {"amazon", "dmm", "docomo", "au", "softbank", "nta", "yamato"}
    assert "0369127894" in {n.number for n in knowledge.numbers}


def test_every_entry_names_its_source() -> None:
    knowledge = load()
    sourced = [*knowledge.brands, *knowledge.numbers, *knowledge.rules, *knowledge.templates, *knowledge.hotlines]
    assert all(entry.source.strip() for entry in sourced)


def test_when_a_rule_pattern_is_invalid_then_loading_names_file_and_rule(kdir: Path) -> None:
    _edit(kdir / "rules.yaml", "pattern: '法的(手続き?|", "pattern: '法的((手続き?|")
    with pytest.raises(KnowledgeError, match=r"rules\.yaml: rules\[legal_threat\]"):
        load(kdir)


def test_when_a_rule_has_an_unbounded_wildcard_then_loading_fails(kdir: Path) -> None:
    _edit(kdir / "rules.yaml", "pattern: '法的(手続き?|", "pattern: '法的.*(手続き?|")
    with pytest.raises(KnowledgeError, match="unbounded"):
        load(kdir)


def test_when_a_known_number_is_not_a_number_then_loading_names_it(kdir: Path) -> None:
    _edit(kdir / "numbers.yaml", 'number: "0369127894"', 'number: "03-69X"')
    with pytest.raises(KnowledgeError, match=r"numbers\.yaml: numbers\[03-69X\]"):
        load(kdir)


def test_when_a_brand_domain_is_malformed_then_loading_fails(kdir: Path) -> None:
    _edit(kdir / "brands.yaml", "official_domains: [amazon.co.jp,", "official_domains: [amazon co jp,")
    with pytest.raises(KnowledgeError, match=r"brands\.yaml: brands\[amazon\]"):
        load(kdir)


def test_when_a_yaml_file_is_broken_then_the_file_is_named(kdir: Path) -> None:
    (kdir / "senders.yaml").write_text("names: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"senders\.yaml"):
        load(kdir)


def test_add_number_appends_a_sourced_entry_that_the_detector_then_knows(kdir: Path) -> None:
    code = main(["knowledge", "--dir", str(kdir), "add-number", "03-1234-5678",
                 "--source", "https://example.org/warning", "--note", "テスト用の番号"])
    assert code == 0
    numbers = {n.number: n for n in load(kdir).numbers}
    assert numbers["0312345678"].source == "https://example.org/warning"


def test_add_number_refuses_text_that_is_not_a_number(kdir: Path) -> None:
    assert main(["knowledge", "--dir", str(kdir), "add-number", "hello", "--source", "x", "--note", "y"]) == 2


def test_knowledge_check_passes_on_the_shipped_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "check"]) == 0
    assert "ok" in capsys.readouterr().out


def test_knowledge_check_fails_when_a_rule_example_is_wrong(kdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(kdir / "rules.yaml", 'miss: ["裁判所の見学に行ってきた"]', 'miss: ["少額訴訟を起こします"]')
    assert main(["knowledge", "--dir", str(kdir), "check"]) == 1
    assert "legal_threat: should miss but hits" in capsys.readouterr().out
