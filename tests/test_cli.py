"""The `sobria` command line as a user meets it: its help and messages in the configured language, and one
sentence saying what to do, never a traceback, when a path, a permission, an archive or the disk is wrong."""

from __future__ import annotations

import builtins
import errno
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.cli import main
from bot.store import Event, TinyStore

ROOT = Path(__file__).resolve().parent.parent
SUBCOMMANDS = ("run", "demo", "summary", "backup", "restore", "doctor", "migrate", "report")
# What each language's help must say (argparse's own words included) and must not.
HELP = {
    "fr": (("utilisation :", "afficher cette aide et quitter", "--data-dir DOSSIER"), ("usage:", "show this help")),
    "en": (("usage:", "show this help message and exit", "--data-dir DIR"), ("utilisation", "afficher")),
}
# One sentence of each subcommand's own description, per language.
DESCRIPTIONS = {
    "run": ("Démarre dans un seul processus", "Start every configured front-end"),
    "demo": ("huit semaines d’activité plausible", "eight weeks of plausible activity"),
    "summary": ("Affiche un bilan programmé", "Print a scheduled summary"),
    "backup": ("Copie chaque espace", "Copy every workspace"),
    "restore": ("Remplace chaque espace", "Replace every workspace"),
    "doctor": ("Lit chaque fichier", "Read every file"),
    "migrate": ("Applique les migrations", "Apply the schema migrations"),
    "report": ("Écrit le rapport", "Write the report"),
}


def plain(text: str) -> str:
    """French typography's no-break spaces as plain ones, so that expected texts read simply."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def config_in(tmp_path: Path, lang: str) -> Path:
    path = tmp_path / f"sobria-{lang}.toml"
    path.write_text(f'[bot]\nlang = "{lang}"\n', encoding="utf-8")
    return path


def sobria(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for secret in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        env.pop(secret, None)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=120)


def one_sentence(text: str) -> str:
    """The whole of stderr: exactly one line, no traceback."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text and "Error:" not in text.replace("Configuration error:", "")
    return plain(lines[0])


def stored_events(data: Path) -> int:
    store = TinyStore(data)
    return sum(len(store.member_events("console", m["user"])) for m in store.members("console"))


def events(n: int) -> list[Event]:
    return [Event(id=f"e{i}", ts=1_795_000_000.0 + i, user="U1", type="gen", kind="image", count=1, zone="USA")
            for i in range(n)]


# ---------------------------------------------------------------------------- help and messages, both languages

@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_help_speaks_the_configured_language(tmp_path: Path, capsys, lang: str, command: str) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--config", str(config_in(tmp_path, lang)), "--help"])
    assert done.value.code == 0
    out = plain(capsys.readouterr().out)
    wanted, unwanted = HELP[lang]
    assert all(w in out for w in wanted), out
    assert not any(u in out for u in unwanted), out
    assert DESCRIPTIONS[command][0 if lang == "fr" else 1] in out.replace("\n", " ").replace("  ", " ")


@pytest.mark.parametrize("lang, title, options", [("fr", "Sobria : un coach", "options\u00a0:"),
                                                  ("en", "Sobria: a chat-bot coach", "options:")])
def test_the_top_level_help_follows_sobria_toml_in_the_current_folder(tmp_path: Path, lang: str, title: str,
                                                                       options: str) -> None:
    config_in(tmp_path, lang).rename(tmp_path / "sobria.toml")
    out = sobria("--help", cwd=tmp_path)
    assert out.returncode == 0 and title in plain(out.stdout) and options in out.stdout
    assert all(command in out.stdout for command in SUBCOMMANDS)


@pytest.mark.parametrize("lang, expected", [("fr", "arguments obligatoires manquants : archive"),
                                            ("en", "the following arguments are required: archive")])
def test_argparse_errors_speak_the_language_too(tmp_path: Path, capsys, lang: str, expected: str) -> None:
    with pytest.raises(SystemExit) as done:
        main(["restore", "--config", str(config_in(tmp_path, lang))])
    assert done.value.code == 2
    assert expected in plain(capsys.readouterr().err)


@pytest.mark.parametrize("lang, words", [
    ("fr", ("enregistrements écrits dans", "Pour l’explorer", "Sauvegarde écrite", "restaurée dans",
            "Tous les fichiers de données", "Rapport de 2026-11", "Graphique enregistré dans")),
    ("en", ("events written to", "Explore it", "Backup written", "restored into", "All store files",
            "Report of 2026-11", "Chart written to")),
])
def test_the_main_messages_speak_the_configured_language(tmp_path: Path, capsys, monkeypatch, lang: str,
                                                         words: tuple[str, ...]) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = str(config_in(tmp_path, lang))
    data = str(tmp_path / "demo")
    assert main(["demo", "--config", cfg, "--data-dir", data]) == 0
    assert main(["backup", "--config", cfg, "--data-dir", data]) == 0
    archive = next((tmp_path / "demo" / "backups").glob("*.tar.gz"))
    assert main(["restore", "--config", cfg, "--data-dir", data, str(archive)]) == 0
    assert main(["doctor", "--config", cfg, "--data-dir", data]) == 0
    assert main(["report", "--config", cfg, "--data-dir", data, "--period", "2026-11"]) == 0
    assert main(["summary", "monthly", "--config", cfg, "--data-dir", data, "--period", "2026-11"]) == 0
    out = plain(capsys.readouterr().out)
    for word in words:
        assert word in out, word


# ---------------------------------------------------------------------------- no dead ends

@pytest.mark.parametrize("lang, expected", [("fr", "n’existe pas"), ("en", "There is no file")])
def test_restore_of_a_missing_file_says_where_backups_are(tmp_path: Path, lang: str, expected: str) -> None:
    out = sobria("restore", "--config", str(config_in(tmp_path, lang)), "--data-dir", str(tmp_path / "d"),
                 str(tmp_path / "nope.tar.gz"))
    assert out.returncode == 3
    line = one_sentence(out.stderr)
    assert expected in line and str(tmp_path / "d" / "backups") in line


@pytest.mark.parametrize("content", [b"not a backup at all\n", gzip.compress(b"not a tar either", mtime=0)],
                         ids=["text", "gzip-not-tar"])
def test_restore_of_a_file_that_is_not_a_backup_changes_nothing(tmp_path: Path, content: bytes) -> None:
    store = TinyStore(tmp_path / "d")
    store.add_events("T1", events(2))
    bad = tmp_path / "notes.tar.gz"
    bad.write_bytes(content)
    out = sobria("restore", "--data-dir", str(tmp_path / "d"), str(bad))
    assert out.returncode == 3
    assert "n’est pas une sauvegarde Sobria" in one_sentence(out.stderr)
    assert len(TinyStore(tmp_path / "d").member_events("T1", "U1")) == 2


def test_restore_of_a_damaged_backup_names_it_and_changes_nothing(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "d")
    store.add_events("T1", events(2))
    assert main(["backup", "--data-dir", str(tmp_path / "d")]) == 0
    good = next((tmp_path / "d" / "backups").glob("*.tar.gz")).read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good[: len(good) // 2])  # a copy interrupted half-way
    out = sobria("restore", "--data-dir", str(tmp_path / "d"), str(cut))
    assert out.returncode == 3 and "est abîmée" in one_sentence(out.stderr)
    assert len(TinyStore(tmp_path / "d").member_events("T1", "U1")) == 2


@pytest.mark.parametrize("command", ["run", "demo", "backup", "doctor", "summary", "report"])
def test_a_data_dir_under_a_file_is_one_sentence(tmp_path: Path, command: str) -> None:
    (tmp_path / "afile").write_text("x")
    args = [command, "--data-dir", str(tmp_path / "afile" / "data")] + (["weekly"] if command == "summary" else [])
    out = sobria(*args, stdin="/ia-stats\n")
    assert out.returncode != 0
    line = one_sentence(out.stderr)
    assert "afile" in line and "est un fichier" in line and "--data-dir" in line


def test_a_data_dir_that_is_a_file_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    out = sobria("run", "--data-dir", str(tmp_path / "afile"), stdin="/ia-stats\n")
    assert out.returncode == 3 and "est un fichier, pas un dossier" in one_sentence(out.stderr)


@contextmanager
def refusing_writes(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int) -> Iterator[None]:
    """Every write under `folder` fails with `code` (EACCES: read-only; ENOSPC: full disk), as the kernel
    would say it; the tests run as root, whom file modes do not stop."""
    folder = folder.resolve()

    def under(path: Any) -> bool:
        try:
            return Path(os.fsdecode(path)).resolve().is_relative_to(folder)
        except (TypeError, ValueError):
            return False

    def refuse(path: Any) -> OSError:
        return OSError(code, os.strerror(code), os.fsdecode(path))

    real_os_open, real_open, real_mkdir, real_replace = os.open, builtins.open, os.mkdir, os.replace

    def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and under(path):
            raise refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, bytes, os.PathLike)) and set(mode) & set("wax+") and under(file):
            raise refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if under(path) and not Path(os.fsdecode(path)).is_dir():
            raise refuse(path)
        return real_mkdir(path, *args, **kwargs)

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if under(dst):
            raise refuse(dst)
        return real_replace(src, dst, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(os, "open", os_open)
        m.setattr(builtins, "open", open_)
        m.setattr(io, "open", open_)
        m.setattr(os, "mkdir", mkdir)
        m.setattr(os, "replace", replace)
        yield


@pytest.fixture
def used_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory a member already used, and no chat token (the console runs)."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # where the console's log falls back to
    data = tmp_path / "data"
    monkeypatch.setattr(sys, "stdin", io.StringIO("/ia-log image\n"))
    assert main(["run", "--data-dir", str(data)]) == 0
    return data


@pytest.mark.parametrize("code, why", [(errno.EACCES, "read-only"), (errno.ENOSPC, "full disk")])
def test_the_console_on_a_data_dir_it_cannot_write_answers_and_goes_on(used_data: Path, monkeypatch, capsys,
                                                                        code: int, why: str) -> None:
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO("/ia-log image 2\n/ia-me export\n/ia-stats\n"))
    with refusing_writes(monkeypatch, used_data, code):
        assert main(["run", "--data-dir", str(used_data)]) == 0
    out, err = capsys.readouterr()
    assert "WARNING" not in out + err and "Traceback" not in out + err, why
    assert err == "", err
    replies = out.strip().split("\n\n")
    assert len(replies) == 3, out
    assert replies[0].startswith("Non enregistré, réessayez")
    assert "L’export n’a pas pu être écrit" in replies[1] and "/ia-me export" in replies[1]
    assert "1 génération" in replies[2]  # the console is still there, and the first log is intact
    assert not list((used_data / "exports").glob("*.json")) if (used_data / "exports").exists() else True


@pytest.mark.parametrize("code, expected", [(errno.EACCES, "n’a pas le droit d’écrire"),
                                            (errno.ENOSPC, "est plein : libérez de la place")])
def test_backup_restore_and_demo_on_a_data_dir_they_cannot_write(used_data: Path, monkeypatch, capsys, code: int,
                                                                 expected: str) -> None:
    assert main(["backup", "--data-dir", str(used_data)]) == 0
    archive = next((used_data / "backups").glob("*.tar.gz"))
    capsys.readouterr()
    with refusing_writes(monkeypatch, used_data, code):
        assert main(["backup", "--data-dir", str(used_data)]) == 3
        assert main(["restore", "--data-dir", str(used_data), str(archive)]) == 3
        assert main(["demo", "--replace", "--data-dir", str(used_data / "demo")]) == 3
    out, err = capsys.readouterr()
    lines = plain(err).strip().splitlines()
    assert len(lines) == 3 and all(expected in line for line in lines), err
    assert "Traceback" not in out + err


# ---------------------------------------------------------------------------- the demo

def test_a_second_demo_into_the_same_folder_is_refused_unless_replace(tmp_path: Path, capsys) -> None:
    data = tmp_path / "demo-data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    first = re.search(r"^([\d ]+) enregistrements", plain(capsys.readouterr().out), re.MULTILINE)  # « 1 126 »
    assert first
    count = stored_events(data)
    assert main(["demo", "--data-dir", str(data)]) == 2
    line = one_sentence(capsys.readouterr().err)
    assert "n’est pas vide" in line and "--replace" in line
    assert main(["demo", "--replace", "--data-dir", str(data)]) == 0
    again = stored_events(data)
    assert again == count == int(first.group(1).replace(" ", ""))  # replaced, not doubled


def test_replace_leaves_a_folder_of_other_files_alone(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "devis.pdf").write_bytes(b"%PDF")
    assert main(["demo", "--replace", "--data-dir", str(folder)]) == 2
    assert "pas des données Sobria" in one_sentence(capsys.readouterr().err)
    assert [p.name for p in folder.iterdir()] == ["devis.pdf"]


def test_the_demo_says_how_to_explore_it_as_it_was_called(tmp_path: Path) -> None:
    out = sobria("demo", "--data-dir", "demo-data", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "Pour l’explorer\u00a0: sobria run --data-dir demo-data"


# ---------------------------------------------------------------------------- the repository

def test_generated_folders_are_ignored_by_git() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    paths = ["demo-data/x.json", "data/x.json", "exports/sobria-export-U1.json", "test-artifacts/x.png",
             "sobria-bilan-2026-11.png", "sobria-rapport-rse-2026-11.html", "sobria-csr-report-2026-11.csv"]
    out = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True)
    assert sorted(out.stdout.split()) == sorted(paths)


def tour() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## A short tour", 1)[1].split("\n## ", 1)[0]


def test_the_readme_tour_calls_only_what_a_fresh_clone_has() -> None:
    """A fresh clone has make and .venv/bin/sobria, not a `sobria` on the PATH."""
    text = tour()
    shown = re.findall(r"`([^`]*)`", text) + [line[2:] for line in text.splitlines() if line.startswith("$ ")]
    commands = [c for c in shown if re.match(r"(sobria|make|\.venv/\S+|printf)( |$)", c)]
    assert commands, text
    for command in commands:
        assert not re.match(r"sobria\b", command), command
        for part in re.findall(r"(?:^|\| )(\S+)", command):
            assert part in ("make", ".venv/bin/sobria", "printf"), command


def test_the_readme_tour_runs_as_written(tmp_path: Path) -> None:
    typed = [line.split("sobria> ", 1)[1] for line in tour().splitlines() if line.startswith("sobria> ")]
    assert len(typed) >= 4
    out = sobria("run", "--data-dir", str(tmp_path / "data"), stdin="\n".join(typed) + "\n")
    assert out.returncode == 0 and out.stderr == ""
    replies = [r for r in out.stdout.strip().split("\n\n") if r.strip()]
    assert len(replies) >= len(typed)
    assert "Commande inconnue" not in out.stdout and "Commande incorrecte" not in out.stdout
    piped = re.search(r"`printf '([^']*)' \| make run`", tour())
    assert piped, "the README shows a piped example"
    again = sobria("run", "--data-dir", str(tmp_path / "piped"), stdin=piped.group(1).replace("\\n", "\n"))
    assert again.returncode == 0 and "Commande" not in again.stdout and again.stderr == ""


@pytest.mark.parametrize("command", ["migrate", "run"])
def test_an_unreachable_database_is_one_sentence(tmp_path: Path, command: str) -> None:
    config = tmp_path / "sobria.toml"
    config.write_text('[store]\nurl = "postgresql://sobria@127.0.0.1:1/sobria"\n', encoding="utf-8")
    out = sobria(command, "--config", str(config))
    assert out.returncode == 3
    line = one_sentence(out.stderr)
    assert "127.0.0.1:1" in line and "vérifiez [store] url" in line
