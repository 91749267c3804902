"""Run every benchmark module in bench/ (a module named bench_*.py with a `run()`), in order.

make bench                      # all of them
make bench BENCH=bench_queue    # one of them
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    wanted = [name for name in os.environ.get("BENCH", "").split(",") if name]
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_")
    )
    unknown = set(wanted) - set(names)
    if unknown:
        print(f"bench: no such benchmark: {', '.join(sorted(unknown))} (have: {', '.join(names)})")
        return 2
    for name in wanted or names:
        print(f"\n=== {name} ===", flush=True)
        importlib.import_module(f"bench.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
