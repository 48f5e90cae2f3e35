from __future__ import annotations

from newsarchive.cli import main

if __name__ == "__main__":
    main()
