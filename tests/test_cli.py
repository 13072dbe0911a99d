"""The command line: stdout carries data, stderr one-line messages, exit codes 0/1/2, files kept safe."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from degarble.cli import cli, main

SPUN = "Facial acknowledgment is used by law requirement.\r\n"
RESTORED = "Facial recognition is used by law enforcement.\r\n"
CLEAN = "Nothing to see here.\n"


@pytest.fixture
def run(small_dictionary: Path):  # type: ignore[no-untyped-def]
    """Invoke the CLI with the small dictionary only (stdout and stderr kept apart)."""

    def invoke(*args: str, input: bytes | str | None = None, builtin: bool = False) -> Result:
        extra = [] if builtin else ["--no-builtin", "-d", str(small_dictionary)]
        argv = list(args)
        if argv and argv[0] == "dict":
            extra = []
        return CliRunner().invoke(cli, [*argv, *extra], input=input)

    return invoke


def test_stdin_to_stdout(run) -> None:  # type: ignore[no-untyped-def]
    result = run("-", input=SPUN.encode())
    assert result.exit_code == 0
    assert result.stdout_bytes == RESTORED.encode()
    assert result.stderr == ""


def test_no_file_means_stdin(run) -> None:  # type: ignore[no-untyped-def]
    result = run(input=SPUN.encode())
    assert (result.exit_code, result.stdout_bytes) == (0, RESTORED.encode())


def test_stdout_keeps_bom_crlf_missing_final_newline_and_encoding(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = codecs.BOM_UTF8 + b"law requirement\r\nend"
    (tmp_path / "a.txt").write_bytes(data)
    result = run(str(tmp_path / "a.txt"))
    assert result.stdout_bytes == codecs.BOM_UTF8 + b"law enforcement\r\nend"
    legacy = "café law requirement – fine\r\n".encode("cp1252")
    (tmp_path / "b.txt").write_bytes(legacy)
    result = run("--encoding", "cp1252", str(tmp_path / "b.txt"))
    assert result.exit_code == 0
    assert result.stdout_bytes == "café law enforcement – fine\r\n".encode("cp1252")


def test_unchanged_file_is_reproduced_byte_for_byte(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = codecs.BOM_UTF8 + "İstanbul\r\nß\rno newline 👩‍👩‍👧".encode()
    (tmp_path / "a.txt").write_bytes(data)
    assert run(str(tmp_path / "a.txt")).stdout_bytes == data


def test_several_files_in_order(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("law requirement\n")
    (tmp_path / "b.txt").write_text("profound learning\n")
    result = run(str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert result.stdout == "law enforcement\ndeep learning\n"


def test_check(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spun, clean = tmp_path / "spun.txt", tmp_path / "clean.txt"
    spun.write_bytes(SPUN.encode())
    clean.write_text(CLEAN)
    result = run("--check", str(spun), str(clean))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"would restore {spun} (2 changes)\n"
    result = run("--check", str(clean))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "1 file(s) would be left unchanged\n")
    assert run("--check", "-q", str(spun)).stderr == ""
    assert spun.read_bytes() == SPUN.encode()


def test_diff(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.txt"
    path.write_text("keep\nlaw requirement")
    result = run("--diff", str(path))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [f"--- a/{path}", f"+++ b/{path}"]
    assert "-law requirement\n\\ No newline at end of file\n+law enforcement\n" in result.stdout
    assert path.read_text() == "keep\nlaw requirement"


def test_json_report(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.txt"
    path.write_text("Line one.\nA law requirement here.")
    result = run("--format", "json", str(path))
    assert result.exit_code == 0 and result.stderr == ""
    payload = json.loads(result.stdout)
    (report,) = payload["files"]
    (change,) = report["changes"]
    assert change["original"] == "law requirement" and change["replacement"] == "law enforcement"
    assert (change["line"], change["column"]) == (2, 3)
    assert change["rule"] == "small.tsv:3"
    assert payload["summary"] == {"files": 1, "changed_files": 1, "changes": 1, "errors": 0}


def test_in_place(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spun, clean = tmp_path / "spun.txt", tmp_path / "clean.txt"
    spun.write_bytes(codecs.BOM_UTF8 + SPUN.encode())
    spun.chmod(0o604)
    clean.write_text(CLEAN)
    before = clean.stat()
    result = run("-i", str(spun), str(clean))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"restored {spun} (2 changes)\n"
    assert spun.read_bytes() == codecs.BOM_UTF8 + RESTORED.encode()
    assert oct(spun.stat().st_mode & 0o777) == oct(0o604)
    after = clean.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # untouched


def test_in_place_legacy_encoding(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.txt"
    path.write_bytes("Über law requirement ½\n".encode("latin-1"))
    assert run("-i", "--encoding", "latin-1", str(path)).exit_code == 0
    assert path.read_bytes() == "Über law enforcement ½\n".encode("latin-1")


def test_in_place_unencodable_replacement_keeps_file(tmp_path: Path) -> None:
    dictionary = tmp_path / "d.tsv"
    dictionary.write_text("law requirement\tlaw – enforcement\n")
    path = tmp_path / "old.txt"
    original = "law requirement\n".encode("latin-1")
    path.write_bytes(original)
    result = CliRunner().invoke(
        cli, ["-i", "--encoding", "latin-1", "--no-builtin", "-d", str(dictionary), str(path)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"degarble: error: {path}: the restored text has '–'")
    assert result.stderr.count("\n") == 1
    assert path.read_bytes() == original


def test_output_file_and_refusal_onto_the_input(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_bytes(SPUN.encode())
    assert run("-o", str(out), str(src)).exit_code == 0
    assert out.read_bytes() == RESTORED.encode()
    link = tmp_path / "link.txt"
    link.symlink_to(src)
    for target in (src, link, tmp_path / "." / "in.txt"):
        result = run("-o", str(target), str(src))
        assert result.exit_code == 2
        assert "is the input file" in result.stderr
        assert src.read_bytes() == SPUN.encode()


def test_output_with_a_missing_input_is_an_error_not_a_crash(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.txt"
    out.write_text("keep")
    result = run("-o", str(out), str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert result.stderr == f"degarble: error: {tmp_path / 'missing.txt'}: no such file\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert out.read_text() == "keep"


def test_binary_and_undecodable_inputs_are_refused_others_still_done(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    binary, bad, good = tmp_path / "img.png", tmp_path / "bad.txt", tmp_path / "good.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    bad.write_bytes(b"caf\xe9 law requirement")
    good.write_text("law requirement")
    result = run("-i", str(binary), str(bad), str(good))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == f"degarble: error: {binary}: looks like a binary file (NUL byte at byte offset 8); not restored"
    )
    assert lines[1].startswith(f"degarble: error: {bad}: cannot decode as utf-8: byte 0xe9 at byte offset 3")
    assert lines[2] == f"restored {good} (1 changes)"
    assert binary.read_bytes() == b"\x89PNG\r\n\x1a\n\x00\x00"
    assert good.read_text() == "law enforcement"


def test_failed_in_place_write_is_reported_and_original_kept(run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import errno

    from degarble import files

    path = tmp_path / "a.txt"
    path.write_bytes(SPUN.encode())

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    result = run("-i", str(path))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"degarble: error: {path}: cannot write: No space left on device; the original is unchanged\n"
    )
    assert path.read_bytes() == SPUN.encode()


def test_user_dictionary_errors_and_warnings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("ok\tfine\nlaw requirement\n")
    result = CliRunner().invoke(cli, ["--no-builtin", "-d", str(bad), "-"], input=b"x")
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr
        == "degarble: error: bad.tsv:2: expected 'spun<TAB>standard[<TAB>flags]', found 1 field(s)\n"
    )
    dup = tmp_path / "dup.tsv"
    dup.write_text("law requirement\tlaw enforcement\nLaw requirement\tpolicing\n")
    result = CliRunner().invoke(cli, ["--no-builtin", "-d", str(dup), "-"], input=b"law requirement")
    assert result.exit_code == 0 and result.stdout == "policing"
    assert result.stderr == (
        "degarble: warning: dup.tsv:2: same spun side as line 1 ('Law requirement'); the later entry wins\n"
    )
    result = CliRunner().invoke(cli, ["-q", "--no-builtin", "-d", str(dup), "-"], input=b"x")
    assert result.stderr == ""


def test_dict_check(run, tmp_path: Path, small_dictionary: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("dict", "check", "--no-builtin", str(small_dictionary))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "13 entries in 1 file(s): 0 problem(s)\n"
    chain = tmp_path / "chain.tsv"
    chain.write_text("law enforcement\tpolicing\nlaw enforcement\tpolicing\n")
    result = run("dict", "check", "--no-builtin", str(small_dictionary), str(chain))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "chain.tsv:2: duplicate of chain.tsv:1 ('law enforcement')",
        "small.tsv:3: standard side 'law enforcement' is itself a spun key (chain.tsv:2): chain",
    ]
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"a\x00")
    result = run("dict", "check", "--no-builtin", str(bad))
    assert result.exit_code == 2 and result.stderr.startswith("degarble: error: bad.tsv:1: binary data")


def test_help_and_version() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0 and "Exit codes" in result.stdout
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("degarble, version ")


# -- main(): the real entry point turns usage errors into one line ---------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-i", "-"], "--in-place needs files, not standard input"),
        (["-i", "-o", "x", "a"], "--in-place and --output cannot be combined"),
        (["--check", "-i", "a"], "--check and --diff write nothing; drop --in-place/--output"),
        (["-o", "x", "a", "b"], "--output takes a single input"),
        (["--format", "xml", "a"], "Invalid value for '--format'"),
        (["--bogus"], "No such option"),
    ],
)
def test_main_usage_errors_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("degarble: error: ") and message in captured.err
    assert captured.err.count("\n") == 1


def test_main_version_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0


def test_main_check_exit_code(small_dictionary: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SPUN.encode())
    with pytest.raises(SystemExit) as info:
        main(["--check", "-q", "--no-builtin", "-d", str(small_dictionary), str(path)])
    assert info.value.code == 1


# -- the installed command, in a real process --------------------------------------------------------


def degarble_command() -> str:
    found = shutil.which("degarble", path=os.path.dirname(sys.executable)) or shutil.which("degarble")
    if not found:
        pytest.skip("the degarble command is not installed in this environment")
    return found


def test_installed_command(small_dictionary: Path, tmp_path: Path) -> None:
    command = degarble_command()
    args = [command, "--no-builtin", "-d", str(small_dictionary)]
    proc = subprocess.run([*args, "-"], input=SPUN.encode(), capture_output=True, timeout=120)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, RESTORED.encode(), b"")
    proc = subprocess.run([*args, "-i", "-"], input=b"", capture_output=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == b"degarble: error: --in-place needs files, not standard input\n"
    proc = subprocess.run([*args, str(tmp_path / "missing.txt")], capture_output=True, timeout=120)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert proc.stderr == f"degarble: error: {tmp_path / 'missing.txt'}: no such file\n".encode()


def test_installed_command_closed_pipe_is_quiet(small_dictionary: Path, tmp_path: Path) -> None:
    command = degarble_command()
    big = tmp_path / "big.txt"
    big.write_text("law requirement and more words\n" * 20_000)  # far more than a pipe buffer
    proc = subprocess.run(
        f"'{command}' --no-builtin -d '{small_dictionary}' '{big}' | head -c 10",
        shell=True,
        capture_output=True,
        timeout=300,
    )
    assert proc.stdout == b"law enforc"
    assert b"Traceback" not in proc.stderr and b"Error" not in proc.stderr


def test_python_dash_m_degarble_runs_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("Facial acknowledgment is used.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "degarble", str(source)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Facial recognition is used.\n"
