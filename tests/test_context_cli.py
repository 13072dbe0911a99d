"""The --context option of the CLI and the context keyword of the API (no extra needed)."""

from __future__ import annotations

import json

import pytest

import degarble
from degarble import cli
from degarble.changes import Change, Suspect


def test_context_without_the_extra_says_what_to_install(monkeypatch, tmp_path, capsys):
    import degarble.context as context

    monkeypatch.setattr(context, "missing_extra", lambda level="lm": ["torch", "transformers"])
    path = tmp_path / "a.txt"
    path.write_text("Some text.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--context", str(path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "pip install 'degarble[context]'" in err[0] and "torch" in err[0]


class _FakePass:
    """Stands in for the context pass: flags one word and changes another."""

    def run(self, text, protected=(), findings=0):
        changes, suspects = [], []
        if "landmark" in text:
            i = text.index("landmark")
            changes.append(Change(i, i + 8, "landmark", "monument", "context:lm:thesaurus", 0.9, "context"))
        if "torpid" in text:
            i = text.index("torpid")
            suspects.append(Suspect(i, i + 6, "torpid", (("comatose", 2.0),), 2.0, "context:lm"))
        return changes, suspects


def test_context_keyword_runs_the_pass_after_mojibake_and_dictionary(monkeypatch):
    restorer = degarble.Restorer([], entries=[degarble.Entry("law requirement", "law enforcement")])
    monkeypatch.setattr(restorer, "context_pass", lambda: _FakePass())
    text = "OnÂ\u00a0Monday law requirement saw the landmark, torpid."
    plain = restorer.restore_and_explain(text)
    assert plain.text == "On\u00a0Monday law enforcement saw the landmark, torpid." and plain.suspects == []
    result = restorer.restore_and_explain(text, context=True)
    assert result.text == "On\u00a0Monday law enforcement saw the monument, torpid."
    assert [c.rule for c in result.changes] == ["mojibake:ftfy", "<memory>:0", "context:lm:thesaurus"]
    for change in result.changes:
        assert text[change.start : change.end] == change.original
    [suspect] = result.suspects
    assert text[suspect.start : suspect.end] == "torpid"
    assert restorer.restore(text, context=True) == result.text


def test_json_output_lists_suspects_in_context_mode(monkeypatch, tmp_path, capsys):
    import degarble.context as context

    monkeypatch.setattr(context, "missing_extra", lambda level="lm": [])
    from degarble.restorer import Restorer

    monkeypatch.setattr(Restorer, "context_pass", lambda self: _FakePass())
    path = tmp_path / "a.txt"
    path.write_text("the landmark was torpid\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--context", "--format", "json", "--no-builtin", str(path)])
    assert exit_info.value.code == 0
    payload = json.loads(capsys.readouterr().out)
    [entry] = payload["files"]
    assert [c["replacement"] for c in entry["changes"]] == ["monument"]
    assert [(s["original"], s["candidates"][0][0], s["line"]) for s in entry["suspects"]] == [
        ("torpid", "comatose", 1)
    ]
