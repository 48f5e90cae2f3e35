"""A CLI reader for the reliability tests: runs `newsarchive search`, `stats`,
`show` and `export` against an archive in a loop until STOP_FILE exists.

    python tests/archive_reader.py DB_URL STOP_FILE

Exits 1 and prints the output of the first command that fails.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    db_url, stop = sys.argv[1], Path(sys.argv[2])
    from click.testing import CliRunner

    from newsarchive.cli import main as cli

    runner = CliRunner()
    commands = [["search", "token1*", "--limit", "5"], ["stats", "--json"], ["show", "1", "--no-body"],
                ["export", "--site", "site1.example"], ["search", "headline", "--site", "site2.example"]]
    runs = 0
    while not stop.exists():
        for command in commands:
            result = runner.invoke(cli, [*command, "--db", db_url])
            # "show 1" before the first commit is a clean "no article" (exit 1).
            allowed = (0, 1) if command[0] == "show" else (0,)
            text = (result.stdout or "") + (result.stderr or "")
            if result.exit_code not in allowed or "locked" in text or "Traceback" in text \
                    or (result.exception and not isinstance(result.exception, SystemExit)):
                print(f"FAILED {command}: exit {result.exit_code}\n{text}\n{result.exception!r}")
                sys.exit(1)
            runs += 1
    print(f"reads {runs}")


if __name__ == "__main__":
    main()
